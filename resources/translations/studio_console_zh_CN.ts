<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>CameraPage</name>
    <message>
        <source>empty: TEST PATTERN</source>
        <translation>留空：测试图</translation>
    </message>
    <message>
        <source>e.g. 1 or udp://127.0.0.1:5000</source>
        <translation>例如 1 或 udp://127.0.0.1:5000</translation>
    </message>
    <message>
        <source>A device index (0, 1…), a video file or a stream URL (udp://, rtsp://, http://). The camera runbook (Ctrl+1) switches the camera dock to the backup source. A new camera source takes effect after a restart.</source>
        <translation>设备编号（0、1…）、视频文件或流地址（udp://、rtsp://、http://）。摄像头预案（Ctrl+1）会把摄像头面板切换到备用源。新的摄像头源在重启后生效。</translation>
    </message>
    <message>
        <source>Camera source:</source>
        <translation>摄像头源：</translation>
    </message>
    <message>
        <source>Backup source:</source>
        <translation>备用源：</translation>
    </message>
    <message>
        <source>The backup source must be another camera than the camera source.</source>
        <translation>备用源必须是与主摄像头源不同的摄像头。</translation>
    </message>
</context>
<context>
    <name>CameraPanel</name>
    <message>
        <source>Zebra</source>
        <translation>斑马纹</translation>
    </message>
    <message>
        <source>Focus peaking</source>
        <translation>峰值对焦</translation>
    </message>
    <message>
        <source>False colour</source>
        <translation>伪色</translation>
    </message>
    <message>
        <source>Histogram</source>
        <translation>直方图</translation>
    </message>
    <message>
        <source>Waveform</source>
        <translation>波形图</translation>
    </message>
    <message>
        <source>Set focus reference</source>
        <translation>设为对焦参考</translation>
    </message>
    <message>
        <source>Focus the camera well, then press: later pictures are judged against this one</source>
        <translation>先把焦对好再按：之后的画面以此为基准判断</translation>
    </message>
    <message>
        <source>Set white-balance reference</source>
        <translation>设为白平衡参考</translation>
    </message>
    <message>
        <source>Frame a gray card, or the set under the show lights, then press: later pictures are judged warmer/cooler and greener/more magenta than this one</source>
        <translation>对准灰卡或布好灯光的场景后点击: 之后的画面按与此画面相比偏暖/偏冷、偏绿/偏品红来判断</translation>
    </message>
    <message>
        <source>Back to main camera</source>
        <translation>切回主摄像头</translation>
    </message>
    <message>
        <source>BACKUP camera: {0}</source>
        <translation>备用摄像头：{0}</translation>
    </message>
    <message>
        <source>Main camera: {0}</source>
        <translation>主摄像头：{0}</translation>
    </message>
    <message>
        <source>TEST PATTERN (no camera configured)</source>
        <translation>测试图（未配置摄像头）</translation>
    </message>
    <message>
        <source>Switch back to the main camera: {0}</source>
        <translation>切回主摄像头：{0}</translation>
    </message>
    <message>
        <source>TEST PATTERN: no camera configured</source>
        <translation>测试图：未配置摄像头</translation>
    </message>
    <message>
        <source>Waiting for the picture…</source>
        <translation>等待画面…</translation>
    </message>
    <message>
        <source>luma {0:.0f}% (p1 {1}, p99 {2}) · clipped {3:.1f}% · crushed {4:.1f}% · sharpness {5:.0f}</source>
        <translation>亮度 {0:.0f}%（p1 {1}，p99 {2}）· 过曝 {3:.1f}% · 死黑 {4:.1f}% · 锐度 {5:.0f}</translation>
    </message>
    <message>
        <source>{0}x{1}  {2:.1f} fps  dropped {3}</source>
        <translation>{0}x{1}  {2:.1f} fps  丢帧 {3}</translation>
    </message>
    <message>
        <source>Not set: too much of the picture is clipped or too dark to be a white-balance reference</source>
        <translation>未设置: 画面过曝或过暗的部分太多, 不能作为白平衡参考</translation>
    </message>
</context>
<context>
    <name>ClipsPanel</name>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Cut clips</source>
        <translation>剪切片</translation>
    </message>
    <message>
        <source>Cut every product explanation of the show from OBS&apos;s recording</source>
        <translation>从 OBS 录像中剪出本场每一段商品讲解</translation>
    </message>
    <message>
        <source>Time kept before and after each explanation</source>
        <translation>每段讲解前后保留的时长</translation>
    </message>
    <message>
        <source>9:16 vertical</source>
        <translation>9:16 竖屏</translation>
    </message>
    <message>
        <source>Play</source>
        <translation>播放</translation>
    </message>
    <message>
        <source>Open folder</source>
        <translation>打开文件夹</translation>
    </message>
    <message>
        <source>Pick a show, then cut its clips.</source>
        <translation>选择场次，然后剪切片。</translation>
    </message>
    <message>
        <source>Show:</source>
        <translation>场次：</translation>
    </message>
    <message>
        <source>Padding:</source>
        <translation>前后留白：</translation>
    </message>
    <message>
        <source>Failed: {0}</source>
        <translation>失败：{0}</translation>
    </message>
    <message>
        <source>{0} clips in {1}</source>
        <translation>{1} 中有 {0} 个切片</translation>
    </message>
    <message>
        <source>Cutting the clips of {0}…</source>
        <translation>正在剪 {0} 的切片…</translation>
    </message>
    <message>
        <source>Cut {0} of {1} clips.</source>
        <translation>已剪 {0}/{1} 个切片。</translation>
    </message>
</context>
<context>
    <name>CueListModel</name>
    <message>
        <source>#</source>
        <translation>#</translation>
    </message>
    <message>
        <source>Segment</source>
        <translation>环节</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Planned start</source>
        <translation>计划开始</translation>
    </message>
    <message>
        <source>Planned</source>
        <translation>计划时长</translation>
    </message>
    <message>
        <source>Actual start</source>
        <translation>实际开始</translation>
    </message>
    <message>
        <source>Actual</source>
        <translation>实际时长</translation>
    </message>
    <message>
        <source>Over/under</source>
        <translation>超时/提前</translation>
    </message>
    <message>
        <source>Findings</source>
        <translation>合规</translation>
    </message>
    <message>
        <source>+{0} from the show start</source>
        <translation>开播后 +{0}</translation>
    </message>
</context>
<context>
    <name>CueScreenControl</name>
    <message>
        <source>Cue screen</source>
        <translation>提词屏</translation>
    </message>
    <message>
        <source>Open cue screen</source>
        <translation>打开提词屏</translation>
    </message>
    <message>
        <source>Monitor</source>
        <translation>显示器</translation>
    </message>
    <message>
        <source>Auto (by monitor shape)</source>
        <translation>自动（按显示器方向）</translation>
    </message>
    <message>
        <source>Landscape</source>
        <translation>横屏</translation>
    </message>
    <message>
        <source>Portrait (monitor turned)</source>
        <translation>竖屏（显示器旋转）</translation>
    </message>
    <message>
        <source>Layout</source>
        <translation>布局</translation>
    </message>
    <message>
        <source>Mirror for teleprompter glass</source>
        <translation>镜像（提词器玻璃）</translation>
    </message>
    <message>
        <source>Script text size</source>
        <translation>台词字号</translation>
    </message>
    <message>
        <source>Teleprompter</source>
        <translation>提词器</translation>
    </message>
    <message>
        <source>Slower (Up on the cue screen)</source>
        <translation>减慢（提词屏上按↑）</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>滚动</translation>
    </message>
    <message>
        <source>Faster (Down on the cue screen)</source>
        <translation>加快（提词屏上按↓）</translation>
    </message>
    <message>
        <source>Message to the anchor</source>
        <translation>给主播的消息</translation>
    </message>
    <message>
        <source>e.g. 请看镜头 2 / 准备上链接</source>
        <translation>例如 请看镜头 2 / 准备上链接</translation>
    </message>
    <message>
        <source>Blink</source>
        <translation>闪烁</translation>
    </message>
    <message>
        <source>Blackout</source>
        <translation>黑屏</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>发送</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>清除</translation>
    </message>
    <message>
        <source>Phones and tablets (studio LAN, read-only)</source>
        <translation>手机和平板（演播室局域网，只读）</translation>
    </message>
    <message>
        <source>Serve the cue view on the LAN</source>
        <translation>在局域网提供提词页面</translation>
    </message>
    <message>
        <source>off</source>
        <translation>关</translation>
    </message>
    <message>
        <source>Interface</source>
        <translation>网卡</translation>
    </message>
    <message>
        <source>Port</source>
        <translation>端口</translation>
    </message>
    <message>
        <source>Link</source>
        <translation>链接</translation>
    </message>
    <message>
        <source>Anchor profile</source>
        <translation>主播配置</translation>
    </message>
    <message>
        <source>Named reading settings (script text size, teleprompter speed, mirror, layout), e.g. for a substitute anchor. The emergency runbooks load them by name.</source>
        <translation>命名的阅读设置（台词字号、提词速度、镜像、版式），例如给替班主播使用。应急预案按名称载入。</translation>
    </message>
    <message>
        <source>Apply</source>
        <translation>应用</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Profile name</source>
        <translation>配置名称</translation>
    </message>
    <message>
        <source>Save current settings</source>
        <translation>保存当前设置</translation>
    </message>
    <message>
        <source>Save the script size, speed, mirror and layout shown now under this name</source>
        <translation>以此名称保存当前的台词字号、速度、镜像和版式</translation>
    </message>
    <message>
        <source>Settings not saved: {0}</source>
        <translation>设置未保存：{0}</translation>
    </message>
    <message>
        <source>Profile {0} applied.</source>
        <translation>已应用配置 {0}。</translation>
    </message>
    <message>
        <source>Profile {0} saved.</source>
        <translation>已保存配置 {0}。</translation>
    </message>
    <message>
        <source>Profile {0} deleted.</source>
        <translation>已删除配置 {0}。</translation>
    </message>
    <message>
        <source>Shipped with the console (the emergency runbooks use it): save over it to change it</source>
        <translation>随中控台提供（应急预案会用到）：如需修改请覆盖保存</translation>
    </message>
    <message>
        <source>Current profile: none</source>
        <translation>当前配置：无</translation>
    </message>
    <message>
        <source>Current profile: {0}</source>
        <translation>当前配置：{0}</translation>
    </message>
    <message>
        <source>Current profile: {0} (settings changed since)</source>
        <translation>当前配置：{0}（之后设置已改动）</translation>
    </message>
    <message>
        <source>speed {0}</source>
        <translation>速度 {0}</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <source>starting…</source>
        <translation>正在启动…</translation>
    </message>
</context>
<context>
    <name>DatabasePage</name>
    <message>
        <source>Leave empty for the local SQLite file. Several rooms can share one PostgreSQL database: postgresql://user@host/studio. Takes effect after a restart.</source>
        <translation>留空则使用本机 SQLite 文件。多个直播间可共用一个 PostgreSQL 数据库：postgresql://user@host/studio。重启后生效。</translation>
    </message>
    <message>
        <source>Database URL:</source>
        <translation>数据库地址:</translation>
    </message>
</context>
<context>
    <name>DeviceCard</name>
    <message>
        <source>No worker has reported yet.</source>
        <translation>尚无设备状态上报。</translation>
    </message>
</context>
<context>
    <name>DeviceDetail</name>
    <message>
        <source>connecting to {where}</source>
        <translation>正在连接 {where}</translation>
    </message>
    <message>
        <source>connected to OBS {version} at {where}</source>
        <translation>已连接 OBS {version}（{where}）</translation>
    </message>
    <message>
        <source>nothing is listening at {where}: is OBS running with its WebSocket server enabled?</source>
        <translation>{where} 上没有程序在监听：OBS 是否已运行并开启了 WebSocket 服务器？</translation>
    </message>
    <message>
        <source>{where} does not answer (wrong address or a firewall?)</source>
        <translation>{where} 无响应（地址错误或被防火墙拦截？）</translation>
    </message>
    <message>
        <source>OBS at {where} accepts connections but does not answer</source>
        <translation>{where} 上的 OBS 接受连接但不响应</translation>
    </message>
    <message>
        <source>OBS at {where} requires a password and none is set</source>
        <translation>{where} 上的 OBS 需要密码，但尚未设置</translation>
    </message>
    <message>
        <source>OBS at {where} rejected the password</source>
        <translation>{where} 上的 OBS 拒绝了密码</translation>
    </message>
    <message>
        <source>{where} answers but is not an obs-websocket 5 server (OBS 28 or later)</source>
        <translation>{where} 有响应，但不是 obs-websocket 5 服务器（需 OBS 28 或更新版本）</translation>
    </message>
    <message>
        <source>{where} does not speak the obs-websocket 5 protocol (OBS 28 or later)</source>
        <translation>{where} 不支持 obs-websocket 5 协议（需 OBS 28 或更新版本）</translation>
    </message>
    <message>
        <source>unknown host in {where}</source>
        <translation>{where} 中的主机名无法解析</translation>
    </message>
    <message>
        <source>connection to OBS at {where} lost ({error})</source>
        <translation>与 {where} 上 OBS 的连接中断（{error}）</translation>
    </message>
    <message>
        <source>OBS at {where}: {error}</source>
        <translation>{where} 上的 OBS：{error}</translation>
    </message>
    <message>
        <source>OBS lost the streaming server and is reconnecting</source>
        <translation>OBS 与推流服务器断开，正在重连</translation>
    </message>
    <message>
        <source>stream dropping {percent:.1f}% of frames</source>
        <translation>推流丢帧 {percent:.1f}%</translation>
    </message>
    <message>
        <source>stream congestion {congestion:.0%}</source>
        <translation>推流拥塞 {congestion:.0%}</translation>
    </message>
    <message>
        <source>opening {name}</source>
        <translation>正在打开 {name}</translation>
    </message>
    <message>
        <source>opening the default input</source>
        <translation>正在打开默认输入设备</translation>
    </message>
    <message>
        <source>TEST SIGNAL: no microphone in use</source>
        <translation>测试信号 TEST SIGNAL：未使用麦克风</translation>
    </message>
    <message>
        <source>{name}: silent for {seconds:.0f} s (below {dbfs:g} dBFS)</source>
        <translation>{name}：已静音 {seconds:.0f} 秒（低于 {dbfs:g} dBFS）</translation>
    </message>
    <message>
        <source>opening {source}</source>
        <translation>正在打开 {source}</translation>
    </message>
    <message>
        <source>{source}: read failed or stream ended</source>
        <translation>{source}：读取失败或视频流已结束</translation>
    </message>
    <message>
        <source>{source}: no frame for {seconds:.1f} s</source>
        <translation>{source}：{seconds:.1f} 秒没有画面</translation>
    </message>
    <message>
        <source>disk almost full ({free_mb:.1f} MB free on {path})</source>
        <translation>磁盘快满了（{path} 剩余 {free_mb:.1f} MB）</translation>
    </message>
    <message>
        <source>disk full ({free_mb:.1f} MB free on {path}): the next writes will fail</source>
        <translation>磁盘已满（{path} 剩余 {free_mb:.1f} MB）：接下来的写入将会失败</translation>
    </message>
    <message>
        <source>the disk is full ({free_mb:.1f} MB free on {path}): {error}</source>
        <translation>磁盘已满（{path} 剩余 {free_mb:.1f} MB）：{error}</translation>
    </message>
</context>
<context>
    <name>Devices</name>
    <message>
        <source>Camera</source>
        <translation>摄像头</translation>
    </message>
    <message>
        <source>Microphone</source>
        <translation>麦克风</translation>
    </message>
    <message>
        <source>OBS</source>
        <translation>OBS</translation>
    </message>
    <message>
        <source>Event log</source>
        <translation>事件日志</translation>
    </message>
    <message>
        <source>no signal</source>
        <translation>无信号</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>connecting</source>
        <translation>连接中</translation>
    </message>
    <message>
        <source>ok</source>
        <translation>正常</translation>
    </message>
    <message>
        <source>test signal</source>
        <translation>测试信号</translation>
    </message>
    <message>
        <source>degraded</source>
        <translation>性能下降</translation>
    </message>
    <message>
        <source>dead air</source>
        <translation>冷场</translation>
    </message>
    <message>
        <source>black picture</source>
        <translation>画面全黑</translation>
    </message>
    <message>
        <source>picture frozen</source>
        <translation>画面冻结</translation>
    </message>
    <message>
        <source>lost</source>
        <translation>已断开</translation>
    </message>
    <message>
        <source>stalled</source>
        <translation>无数据</translation>
    </message>
    <message>
        <source>not responding</source>
        <translation>无响应</translation>
    </message>
    <message>
        <source>unreachable</source>
        <translation>无法连接</translation>
    </message>
    <message>
        <source>wrong password</source>
        <translation>密码错误</translation>
    </message>
    <message>
        <source>unsupported version</source>
        <translation>版本不支持</translation>
    </message>
    <message>
        <source>not started</source>
        <translation>未启动</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>正常</translation>
    </message>
    <message>
        <source>TEST SOURCE</source>
        <translation>测试信号源</translation>
    </message>
    <message>
        <source>warning</source>
        <translation>警告</translation>
    </message>
    <message>
        <source>fault</source>
        <translation>故障</translation>
    </message>
</context>
<context>
    <name>EmergencyPanel</name>
    <message>
        <source>(+{0} more)</source>
        <translation>(还有 {0} 条)</translation>
    </message>
    <message>
        <source>(automatic actions already run)</source>
        <translation>(自动动作已执行)</translation>
    </message>
    <message>
        <source>(preview)</source>
        <translation>(预览)</translation>
    </message>
    <message>
        <source>Actions (double-click to run again):</source>
        <translation>动作 (双击重新执行):</translation>
    </message>
    <message>
        <source>Checklist:</source>
        <translation>检查清单:</translation>
    </message>
    <message>
        <source>Close incident</source>
        <translation>结束事件</translation>
    </message>
    <message>
        <source>Drill mode (演练)</source>
        <translation>演练模式 DRILL</translation>
    </message>
    <message>
        <source>FAILED</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>Ignore</source>
        <translation>忽略</translation>
    </message>
    <message>
        <source>No open incident. Press a runbook&apos;s key to open one.</source>
        <translation>当前没有事件。按预案快捷键即可启动。</translation>
    </message>
    <message>
        <source>Note for the log (what happened, what fixed it)</source>
        <translation>记录备注 (发生了什么, 如何解决)</translation>
    </message>
    <message>
        <source>Rehearse the runbooks: OBS program is never touched, everything is logged as DRILL</source>
        <translation>演练预案: 不改动 OBS 节目画面, 全部记录为演练 (DRILL)</translation>
    </message>
    <message>
        <source>Reload runbooks</source>
        <translation>重新载入预案</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>执行</translation>
    </message>
    <message>
        <source>Runbooks not loaded: {0}. Keeping the {1} runbooks loaded before.</source>
        <translation>预案未载入: {0}。继续使用之前的 {1} 个预案。</translation>
    </message>
    <message>
        <source>done</source>
        <translation>已结束</translation>
    </message>
    <message>
        <source>running</source>
        <translation>执行中</translation>
    </message>
    <message>
        <source>skipped</source>
        <translation>已跳过</translation>
    </message>
    <message>
        <source>waiting for a person</source>
        <translation>等待人工执行</translation>
    </message>
    <message>
        <source>{0} runbooks from {1}</source>
        <translation>已载入 {0} 个预案 ({1})</translation>
    </message>
    <message>
        <source>{0} — rehearsal: OBS actions go to preview or are skipped</source>
        <translation>{0} — 演练中: OBS 动作只发到预览或跳过</translation>
    </message>
</context>
<context>
    <name>EventKind</name>
    <message>
        <source>device connecting</source>
        <translation>设备连接中</translation>
    </message>
    <message>
        <source>device working</source>
        <translation>设备正常</translation>
    </message>
    <message>
        <source>device test signal</source>
        <translation>设备测试信号</translation>
    </message>
    <message>
        <source>device lost</source>
        <translation>设备断开</translation>
    </message>
    <message>
        <source>device stalled</source>
        <translation>设备卡住</translation>
    </message>
    <message>
        <source>device not answering</source>
        <translation>设备无响应</translation>
    </message>
    <message>
        <source>device unreachable</source>
        <translation>设备无法连接</translation>
    </message>
    <message>
        <source>device password refused</source>
        <translation>设备密码错误</translation>
    </message>
    <message>
        <source>device not supported</source>
        <translation>设备不支持</translation>
    </message>
    <message>
        <source>device stopped</source>
        <translation>设备停止</translation>
    </message>
    <message>
        <source>console started</source>
        <translation>中控台启动</translation>
    </message>
    <message>
        <source>console closed</source>
        <translation>中控台关闭</translation>
    </message>
    <message>
        <source>settings unreadable</source>
        <translation>设置文件有误</translation>
    </message>
    <message>
        <source>database write test</source>
        <translation>数据库写入测试</translation>
    </message>
    <message>
        <source>show opened</source>
        <translation>打开直播</translation>
    </message>
    <message>
        <source>show not opened</source>
        <translation>脚本打开失败</translation>
    </message>
    <message>
        <source>show started</source>
        <translation>开播</translation>
    </message>
    <message>
        <source>next segment</source>
        <translation>下一环节</translation>
    </message>
    <message>
        <source>segment back</source>
        <translation>返回上一环节</translation>
    </message>
    <message>
        <source>segment jump</source>
        <translation>跳转环节</translation>
    </message>
    <message>
        <source>timer held</source>
        <translation>计时暂停</translation>
    </message>
    <message>
        <source>timer resumed</source>
        <translation>计时继续</translation>
    </message>
    <message>
        <source>time added</source>
        <translation>加减时间</translation>
    </message>
    <message>
        <source>show ended</source>
        <translation>直播结束</translation>
    </message>
    <message>
        <source>segment phase</source>
        <translation>环节阶段</translation>
    </message>
    <message>
        <source>resumed after restart</source>
        <translation>重启后恢复</translation>
    </message>
    <message>
        <source>action refused</source>
        <translation>操作被拒绝</translation>
    </message>
    <message>
        <source>desk action</source>
        <translation>场控操作</translation>
    </message>
    <message>
        <source>card push</source>
        <translation>商品讲解</translation>
    </message>
    <message>
        <source>card queued</source>
        <translation>商品待上架</translation>
    </message>
    <message>
        <source>card on shelf</source>
        <translation>商品上架</translation>
    </message>
    <message>
        <source>card explaining</source>
        <translation>商品讲解中</translation>
    </message>
    <message>
        <source>card sold out</source>
        <translation>商品抢光</translation>
    </message>
    <message>
        <source>card off shelf</source>
        <translation>商品下架</translation>
    </message>
    <message>
        <source>stock adjusted</source>
        <translation>库存调整</translation>
    </message>
    <message>
        <source>stock low</source>
        <translation>库存偏低</translation>
    </message>
    <message>
        <source>core stock freeze</source>
        <translation>核心库存冻结</translation>
    </message>
    <message>
        <source>message to anchor</source>
        <translation>给主播消息</translation>
    </message>
    <message>
        <source>message hidden</source>
        <translation>隐藏主播消息</translation>
    </message>
    <message>
        <source>compliance override</source>
        <translation>合规放行</translation>
    </message>
    <message>
        <source>coupon announced</source>
        <translation>发券预告</translation>
    </message>
    <message>
        <source>coupon drop</source>
        <translation>发券</translation>
    </message>
    <message>
        <source>coupon over</source>
        <translation>券结束</translation>
    </message>
    <message>
        <source>coupon waits</source>
        <translation>发券等待</translation>
    </message>
    <message>
        <source>flash sale announced</source>
        <translation>秒杀预告</translation>
    </message>
    <message>
        <source>flash sale start</source>
        <translation>秒杀开始</translation>
    </message>
    <message>
        <source>flash sale over</source>
        <translation>秒杀结束</translation>
    </message>
    <message>
        <source>coupon missed</source>
        <translation>发券错过</translation>
    </message>
    <message>
        <source>flash sale missed</source>
        <translation>秒杀错过</translation>
    </message>
    <message>
        <source>coupon delayed</source>
        <translation>发券推迟</translation>
    </message>
    <message>
        <source>flash sale delayed</source>
        <translation>秒杀推迟</translation>
    </message>
    <message>
        <source>coupon cancelled</source>
        <translation>发券取消</translation>
    </message>
    <message>
        <source>flash sale cancelled</source>
        <translation>秒杀取消</translation>
    </message>
    <message>
        <source>coupon confirmed</source>
        <translation>发券已确认</translation>
    </message>
    <message>
        <source>flash sale confirmed</source>
        <translation>秒杀已确认</translation>
    </message>
    <message>
        <source>coupons paused</source>
        <translation>发券暂停</translation>
    </message>
    <message>
        <source>coupons resumed</source>
        <translation>发券恢复</translation>
    </message>
    <message>
        <source>anchor profile applied</source>
        <translation>应用主播配置</translation>
    </message>
    <message>
        <source>anchor profile saved</source>
        <translation>保存主播配置</translation>
    </message>
    <message>
        <source>anchor profile deleted</source>
        <translation>删除主播配置</translation>
    </message>
    <message>
        <source>anchor profile failed</source>
        <translation>主播配置失败</translation>
    </message>
    <message>
        <source>cue settings not saved</source>
        <translation>提词屏设置未保存</translation>
    </message>
    <message>
        <source>runbooks loaded</source>
        <translation>载入应急预案</translation>
    </message>
    <message>
        <source>runbooks not loaded</source>
        <translation>应急预案有误</translation>
    </message>
    <message>
        <source>drill mode</source>
        <translation>演练模式</translation>
    </message>
    <message>
        <source>runbook suggested</source>
        <translation>建议预案</translation>
    </message>
    <message>
        <source>suggestion ignored</source>
        <translation>忽略建议</translation>
    </message>
    <message>
        <source>incident opened</source>
        <translation>应急事件开始</translation>
    </message>
    <message>
        <source>checklist tick</source>
        <translation>勾选检查项</translation>
    </message>
    <message>
        <source>runbook action</source>
        <translation>预案动作</translation>
    </message>
    <message>
        <source>incident closed</source>
        <translation>应急事件结束</translation>
    </message>
    <message>
        <source>self-test run</source>
        <translation>自检</translation>
    </message>
    <message>
        <source>self-test check failed</source>
        <translation>自检项未通过</translation>
    </message>
    <message>
        <source>microphone changed</source>
        <translation>更换麦克风</translation>
    </message>
    <message>
        <source>microphone opened</source>
        <translation>麦克风打开</translation>
    </message>
    <message>
        <source>test signal</source>
        <translation>测试信号</translation>
    </message>
    <message>
        <source>microphone lost</source>
        <translation>麦克风断开</translation>
    </message>
    <message>
        <source>microphone stalled</source>
        <translation>麦克风卡住</translation>
    </message>
    <message>
        <source>microphone back</source>
        <translation>麦克风恢复</translation>
    </message>
    <message>
        <source>dead air</source>
        <translation>冷场</translation>
    </message>
    <message>
        <source>dead air over</source>
        <translation>冷场结束</translation>
    </message>
    <message>
        <source>clipping</source>
        <translation>削波</translation>
    </message>
    <message>
        <source>input overflow</source>
        <translation>输入溢出</translation>
    </message>
    <message>
        <source>clip cleared</source>
        <translation>清除削波</translation>
    </message>
    <message>
        <source>loudness</source>
        <translation>响度</translation>
    </message>
    <message>
        <source>camera opened</source>
        <translation>摄像头打开</translation>
    </message>
    <message>
        <source>camera not opened</source>
        <translation>摄像头打开失败</translation>
    </message>
    <message>
        <source>picture lost</source>
        <translation>画面丢失</translation>
    </message>
    <message>
        <source>picture back</source>
        <translation>画面恢复</translation>
    </message>
    <message>
        <source>camera switched</source>
        <translation>切换摄像头</translation>
    </message>
    <message>
        <source>focus reference</source>
        <translation>对焦参考</translation>
    </message>
    <message>
        <source>white-balance reference</source>
        <translation>白平衡参考</translation>
    </message>
    <message>
        <source>exposure</source>
        <translation>曝光</translation>
    </message>
    <message>
        <source>white balance</source>
        <translation>白平衡</translation>
    </message>
    <message>
        <source>focus</source>
        <translation>对焦</translation>
    </message>
    <message>
        <source>picture signal</source>
        <translation>画面信号</translation>
    </message>
    <message>
        <source>OBS connecting</source>
        <translation>连接 OBS</translation>
    </message>
    <message>
        <source>OBS connected</source>
        <translation>OBS 已连接</translation>
    </message>
    <message>
        <source>OBS reconnected</source>
        <translation>OBS 重新连接</translation>
    </message>
    <message>
        <source>OBS link stopped</source>
        <translation>OBS 连接停止</translation>
    </message>
    <message>
        <source>OBS disconnected</source>
        <translation>OBS 断开</translation>
    </message>
    <message>
        <source>OBS unreachable</source>
        <translation>无法连接 OBS</translation>
    </message>
    <message>
        <source>OBS password refused</source>
        <translation>OBS 密码错误</translation>
    </message>
    <message>
        <source>OBS too old</source>
        <translation>OBS 版本不支持</translation>
    </message>
    <message>
        <source>OBS not answering</source>
        <translation>OBS 无响应</translation>
    </message>
    <message>
        <source>scene changed</source>
        <translation>切换场景</translation>
    </message>
    <message>
        <source>studio mode</source>
        <translation>工作室模式</translation>
    </message>
    <message>
        <source>input muted</source>
        <translation>音源静音</translation>
    </message>
    <message>
        <source>input unmuted</source>
        <translation>音源取消静音</translation>
    </message>
    <message>
        <source>stream started</source>
        <translation>推流开始</translation>
    </message>
    <message>
        <source>stream stopped</source>
        <translation>推流停止</translation>
    </message>
    <message>
        <source>recording started</source>
        <translation>录制开始</translation>
    </message>
    <message>
        <source>recording stopped</source>
        <translation>录制停止</translation>
    </message>
    <message>
        <source>recording paused</source>
        <translation>录像已暂停</translation>
    </message>
    <message>
        <source>OBS command failed</source>
        <translation>OBS 指令失败</translation>
    </message>
    <message>
        <source>studio view failed</source>
        <translation>视图出错</translation>
    </message>
    <message>
        <source>room alert</source>
        <translation>直播间预警</translation>
    </message>
    <message>
        <source>room alert over</source>
        <translation>预警解除</translation>
    </message>
    <message>
        <source>room alert action</source>
        <translation>预警自动操作</translation>
    </message>
    <message>
        <source>room data refused</source>
        <translation>数据被拒收</translation>
    </message>
    <message>
        <source>stock conflict</source>
        <translation>库存冲突</translation>
    </message>
    <message>
        <source>remote control on</source>
        <translation>遥控开启</translation>
    </message>
    <message>
        <source>remote control off</source>
        <translation>遥控关闭</translation>
    </message>
    <message>
        <source>remote control moved</source>
        <translation>遥控已换地址</translation>
    </message>
    <message>
        <source>remote control settings refused</source>
        <translation>遥控设置未生效</translation>
    </message>
    <message>
        <source>room endpoint on</source>
        <translation>直播间数据接口开启</translation>
    </message>
    <message>
        <source>room endpoint moved</source>
        <translation>直播间数据接口换地址</translation>
    </message>
    <message>
        <source>room endpoint off</source>
        <translation>直播间数据接口关闭</translation>
    </message>
    <message>
        <source>room endpoint settings refused</source>
        <translation>直播间数据接口设置未生效</translation>
    </message>
    <message>
        <source>recording resumed</source>
        <translation>录像已继续</translation>
    </message>
    <message>
        <source>recording clock</source>
        <translation>录像时钟</translation>
    </message>
    <message>
        <source>frames dropped</source>
        <translation>推流丢帧</translation>
    </message>
    <message>
        <source>frames OK</source>
        <translation>丢帧恢复</translation>
    </message>
    <message>
        <source>render lag</source>
        <translation>渲染卡顿</translation>
    </message>
    <message>
        <source>render OK</source>
        <translation>渲染恢复</translation>
    </message>
    <message>
        <source>stream congestion</source>
        <translation>推流拥塞</translation>
    </message>
    <message>
        <source>congestion cleared</source>
        <translation>拥塞解除</translation>
    </message>
    <message>
        <source>stream reconnecting</source>
        <translation>推流重连中</translation>
    </message>
    <message>
        <source>stream reconnected</source>
        <translation>推流重连结束</translation>
    </message>
    <message>
        <source>disk low</source>
        <translation>磁盘空间不足</translation>
    </message>
    <message>
        <source>disk OK</source>
        <translation>磁盘空间恢复</translation>
    </message>
    <message>
        <source>OBS stats</source>
        <translation>OBS 状态</translation>
    </message>
</context>
<context>
    <name>EventMessage</name>
    <message>
        <source>{product}: {from!t} → {to!t}</source>
        <translation>{product}: {from!t} → {to!t}</translation>
    </message>
    <message>
        <source>{to[title]}</source>
        <translation>{to[title]}</translation>
    </message>
    <message>
        <source>{from[title]} → {to[title]} ({from[diff]:+clock} vs plan)</source>
        <translation>{from[title]} → {to[title]}（比计划 {from[diff]:+clock}）</translation>
    </message>
    <message>
        <source>missed: {label}: the show ended first</source>
        <translation>已错过: {label}: 直播先结束了</translation>
    </message>
    <message>
        <source>missed: {label}: segment {segment_title} ended first</source>
        <translation>已错过: {label}: 环节「{segment_title}」已先结束</translation>
    </message>
    <message>
        <source>missed: {label}: {overdue_s:dur} overdue (console down or timer stopped)</source>
        <translation>已错过: {label}: 已超时 {overdue_s:dur}（中控台停过或计时停了）</translation>
    </message>
    <message>
        <source>missed: {label}: {why}</source>
        <translation>已错过: {label}: {why}</translation>
    </message>
    <message>
        <source>{label} delayed {seconds:dur}</source>
        <translation>{label} 推迟 {seconds:dur}</translation>
    </message>
    <message>
        <source>cancelled: {label}</source>
        <translation>已取消: {label}</translation>
    </message>
    <message>
        <source>confirmed on the platform: {label} (+{confirm_after:.1f} s after the cue)</source>
        <translation>平台已确认: {label}（提示后 {confirm_after:.1f} 秒）</translation>
    </message>
    <message>
        <source>{device!t}: connecting to {source}</source>
        <translation>{device!t}: 正在连接 {source}</translation>
    </message>
    <message>
        <source>{device!t} working ({source})</source>
        <translation>{device!t} 正常（{source}）</translation>
    </message>
    <message>
        <source>{device!t} back after {outage_s:.1f} s ({source})</source>
        <translation>{device!t} 已恢复，中断 {outage_s:.1f} 秒（{source}）</translation>
    </message>
    <message>
        <source>{device!t}: none found, showing the built-in test signal</source>
        <translation>{device!t}: 未找到设备，改用内置测试信号</translation>
    </message>
    <message>
        <source>{device!t} lost ({source})</source>
        <translation>{device!t} 断开（{source}）</translation>
    </message>
    <message>
        <source>{device!t} stalled: no data arrives ({source})</source>
        <translation>{device!t} 卡住: 收不到数据（{source}）</translation>
    </message>
    <message>
        <source>{device!t} does not answer ({source})</source>
        <translation>{device!t} 无响应（{source}）</translation>
    </message>
    <message>
        <source>{device!t} cannot be reached at {source}</source>
        <translation>无法连接{device!t}（{source}）</translation>
    </message>
    <message>
        <source>{device!t} refused the password ({source})</source>
        <translation>{device!t} 密码错误（{source}）</translation>
    </message>
    <message>
        <source>{device!t} version not supported ({source}): OBS 28 or later needed</source>
        <translation>{device!t} 版本不支持（{source}）: 需要 OBS 28 或更新版本</translation>
    </message>
    <message>
        <source>{device!t} stopped</source>
        <translation>{device!t} 已停止</translation>
    </message>
    <message>
        <source>Studio Console {version} started</source>
        <translation>中控台 {version} 已启动</translation>
    </message>
    <message>
        <source>Studio Console closed</source>
        <translation>中控台已关闭</translation>
    </message>
    <message>
        <source>settings file problem: {problem}</source>
        <translation>设置文件有问题: {problem}</translation>
    </message>
    <message>
        <source>self-test: database write test</source>
        <translation>自检: 数据库写入测试</translation>
    </message>
    <message>
        <source>show opened: {title}</source>
        <translation>已打开直播: {title}</translation>
    </message>
    <message>
        <source>cannot open the show {path}: {error}</source>
        <translation>无法打开直播脚本 {path}: {error}</translation>
    </message>
    <message>
        <source>show started: {to[title]}</source>
        <translation>开播: {to[title]}</translation>
    </message>
    <message>
        <source>hold at {elapsed:clock}</source>
        <translation>计时暂停于 {elapsed:clock}</translation>
    </message>
    <message>
        <source>timer running again</source>
        <translation>计时继续</translation>
    </message>
    <message>
        <source>{seconds:+dur} on {to[title]}</source>
        <translation>{to[title]} 时长 {seconds:+dur}</translation>
    </message>
    <message>
        <source>show ended</source>
        <translation>直播结束</translation>
    </message>
    <message>
        <source>{title}: {phase!t}</source>
        <translation>{title}: {phase!t}</translation>
    </message>
    <message>
        <source>resumed after restart: {title} at {elapsed:clock} ({downtime:dur} down)</source>
        <translation>重启后恢复: {title} 进行到 {elapsed:clock}（中断 {downtime:dur}）</translation>
    </message>
    <message>
        <source>{action!t} refused: {reason}</source>
        <translation>「{action!t}」被拒绝: {reason}</translation>
    </message>
    <message>
        <source>{action!t} (from {by!t})</source>
        <translation>{action!t}（来自{by!t}）</translation>
    </message>
    <message>
        <source>{action!t} not done (from {by!t}): {code!t}</source>
        <translation>「{action!t}」未执行（来自{by!t}）: {code!t}</translation>
    </message>
    <message>
        <source>push {card[name]}</source>
        <translation>讲解 {card[name]}</translation>
    </message>
    <message>
        <source>{product}: stock {from} → {to}</source>
        <translation>{product}: 库存 {from} → {to}</translation>
    </message>
    <message>
        <source>{product}: stock {stock} at or below safety stock {safety_stock}</source>
        <translation>{product}: 库存 {stock}，已到安全库存 {safety_stock} 或更低</translation>
    </message>
    <message>
        <source>{product}: core stock frozen</source>
        <translation>{product}: 核心库存已冻结</translation>
    </message>
    <message>
        <source>{product}: core stock unfrozen</source>
        <translation>{product}: 核心库存已解冻</translation>
    </message>
    <message>
        <source>to anchor: {text}</source>
        <translation>给主播: {text}</translation>
    </message>
    <message>
        <source>message hidden</source>
        <translation>主播消息已隐藏</translation>
    </message>
    <message>
        <source>compliance override: {reason}</source>
        <translation>合规放行: {reason}</translation>
    </message>
    <message>
        <source>coupon drop in {drop_in:clock}: {label}</source>
        <translation>{drop_in:clock} 后发券 {label}</translation>
    </message>
    <message>
        <source>drop the coupon now! {label}</source>
        <translation>现在发券! {label}</translation>
    </message>
    <message>
        <source>coupon batch over: {label}</source>
        <translation>券结束 {label}</translation>
    </message>
    <message>
        <source>coupon waits: {label} waits for {waits_for} (one batch at a time)</source>
        <translation>发券等待: {label} 等 {waits_for} 结束（一次只发一批）</translation>
    </message>
    <message>
        <source>flash sale in {drop_in:clock}: {label}</source>
        <translation>{drop_in:clock} 后开抢 {label}</translation>
    </message>
    <message>
        <source>flash sale starts now! {label}</source>
        <translation>秒杀开始! {label}</translation>
    </message>
    <message>
        <source>flash sale over: {label}</source>
        <translation>秒杀结束 {label}</translation>
    </message>
    <message>
        <source>coupon drops paused</source>
        <translation>发券已暂停</translation>
    </message>
    <message>
        <source>coupon drops paused: {reason}</source>
        <translation>发券已暂停: {reason}</translation>
    </message>
    <message>
        <source>coupon drops resumed (all pending moved {paused_for:dur} later)</source>
        <translation>发券已恢复（待发的全部推迟 {paused_for:dur}）</translation>
    </message>
    <message>
        <source>anchor profile {profile} applied</source>
        <translation>已应用主播配置 {profile}</translation>
    </message>
    <message>
        <source>anchor profile {profile} replaced</source>
        <translation>已覆盖主播配置 {profile}</translation>
    </message>
    <message>
        <source>anchor profile {profile} saved</source>
        <translation>已保存主播配置 {profile}</translation>
    </message>
    <message>
        <source>anchor profile {profile} deleted</source>
        <translation>已删除主播配置 {profile}</translation>
    </message>
    <message>
        <source>anchor profile {profile} not applied: {error}</source>
        <translation>主播配置 {profile} 未应用: {error}</translation>
    </message>
    <message>
        <source>cue settings not saved to {path}: {error}</source>
        <translation>提词屏设置未能保存到 {path}: {error}</translation>
    </message>
    <message>
        <source>runbooks loaded from {file}</source>
        <translation>已载入应急预案: {file}</translation>
    </message>
    <message>
        <source>runbooks not loaded, keeping the previous ones: {file}:{line}: {message}</source>
        <translation>应急预案未载入，继续使用之前的: {file}:{line}: {message}</translation>
    </message>
    <message>
        <source>DRILL mode on</source>
        <translation>演练模式开启</translation>
    </message>
    <message>
        <source>DRILL mode off</source>
        <translation>演练模式关闭</translation>
    </message>
    <message>
        <source>{message_en}</source>
        <translation>{message_zh}</translation>
    </message>
    <message>
        <source>suggestion ignored: {message_en}</source>
        <translation>已忽略建议: {message_zh}</translation>
    </message>
    <message>
        <source>DRILL: incident opened: {name_en}</source>
        <translation>演练: 应急事件开始: {name_zh}</translation>
    </message>
    <message>
        <source>incident opened: {name_en}</source>
        <translation>应急事件开始: {name_zh}</translation>
    </message>
    <message>
        <source>DRILL: ✓ {text_en}</source>
        <translation>演练: ✓ {text_zh}</translation>
    </message>
    <message>
        <source>DRILL: ✗ {text_en}</source>
        <translation>演练: ✗ {text_zh}</translation>
    </message>
    <message>
        <source>✓ {text_en}</source>
        <translation>✓ {text_zh}</translation>
    </message>
    <message>
        <source>✗ {text_en}</source>
        <translation>✗ {text_zh}</translation>
    </message>
    <message>
        <source>DRILL: {what_en}: done</source>
        <translation>演练: {what_zh}: 已完成</translation>
    </message>
    <message>
        <source>DRILL: {what_en}: {result!t}</source>
        <translation>演练: {what_zh}: {result!t}</translation>
    </message>
    <message>
        <source>DRILL: {what_en}: {result!t} ({detail})</source>
        <translation>演练: {what_zh}: {result!t}（{detail}）</translation>
    </message>
    <message>
        <source>{what_en}: done</source>
        <translation>{what_zh}: 已完成</translation>
    </message>
    <message>
        <source>{what_en}: {result!t}</source>
        <translation>{what_zh}: {result!t}</translation>
    </message>
    <message>
        <source>{what_en}: {result!t} ({detail})</source>
        <translation>{what_zh}: {result!t}（{detail}）</translation>
    </message>
    <message>
        <source>DRILL: incident closed: {name_en}</source>
        <translation>演练: 应急事件结束: {name_zh}</translation>
    </message>
    <message>
        <source>DRILL: incident closed: {name_en} — {note}</source>
        <translation>演练: 应急事件结束: {name_zh} — {note}</translation>
    </message>
    <message>
        <source>incident closed: {name_en}</source>
        <translation>应急事件结束: {name_zh}</translation>
    </message>
    <message>
        <source>incident closed: {name_en} — {note}</source>
        <translation>应急事件结束: {name_zh} — {note}</translation>
    </message>
    <message>
        <source>self-test passed: {counts[pass]} pass, {counts[warn]} warn, {counts[fail]} fail, {counts[skip]} skip in {duration_s:.1f} s</source>
        <translation>自检通过: 通过 {counts[pass]}，警告 {counts[warn]}，失败 {counts[fail]}，跳过 {counts[skip]}，用时 {duration_s:.1f} 秒</translation>
    </message>
    <message>
        <source>self-test FAILED: {counts[pass]} pass, {counts[warn]} warn, {counts[fail]} fail, {counts[skip]} skip in {duration_s:.1f} s</source>
        <translation>自检未通过: 通过 {counts[pass]}，警告 {counts[warn]}，失败 {counts[fail]}，跳过 {counts[skip]}，用时 {duration_s:.1f} 秒</translation>
    </message>
    <message>
        <source>{name} ({id}) failed: {value} ({detail})</source>
        <translation>自检项未通过: {name_zh}（{id}）: {value}</translation>
    </message>
    <message>
        <source>microphone changed from {from} to {to}</source>
        <translation>麦克风从 {from} 换成 {to}</translation>
    </message>
    <message>
        <source>test signal {device} opened at {samplerate} Hz, {channels} ch</source>
        <translation>测试信号 {device} 已打开: {samplerate} Hz，{channels} 声道</translation>
    </message>
    <message>
        <source>microphone {device} opened at {samplerate} Hz, {channels} ch</source>
        <translation>麦克风 {device} 已打开: {samplerate} Hz，{channels} 声道</translation>
    </message>
    <message>
        <source>no microphone found ({error}); showing the built-in TEST SIGNAL</source>
        <translation>未找到麦克风（{error}），改用内置测试信号</translation>
    </message>
    <message>
        <source>microphone {device} lost</source>
        <translation>麦克风 {device} 断开</translation>
    </message>
    <message>
        <source>microphone unavailable: {error}</source>
        <translation>麦克风不可用: {error}</translation>
    </message>
    <message>
        <source>microphone {device} stalled: no audio arrives</source>
        <translation>麦克风 {device} 卡住: 收不到音频</translation>
    </message>
    <message>
        <source>microphone {device} back after {outage_s:.1f} s</source>
        <translation>麦克风 {device} 已恢复（中断 {outage_s:.1f} 秒）</translation>
    </message>
    <message>
        <source>dead air: {device} below {threshold_dbfs:g} dBFS for {seconds:.1f} s</source>
        <translation>冷场: {device} 低于 {threshold_dbfs:g} dBFS 已 {seconds:.1f} 秒</translation>
    </message>
    <message>
        <source>dead air: {source} below {threshold_dbfs:g} dBFS for {seconds:.1f} s</source>
        <translation>冷场: {source} 低于 {threshold_dbfs:g} dBFS 已 {seconds:.1f} 秒</translation>
    </message>
    <message>
        <source>dead air over after {duration_s:.1f} s</source>
        <translation>冷场结束，持续 {duration_s:.1f} 秒</translation>
    </message>
    <message>
        <source>clipping on {device}: {clipped_samples} samples at full scale</source>
        <translation>{device} 削波: {clipped_samples} 个采样达到满幅</translation>
    </message>
    <message>
        <source>clipping on {source}: {clipped_samples} samples at full scale</source>
        <translation>{source} 削波: {clipped_samples} 个采样达到满幅</translation>
    </message>
    <message>
        <source>{overflows} input overflow(s) on {device}: samples were lost (machine too busy)</source>
        <translation>{device} 输入溢出 {overflows} 次: 丢失了采样（电脑太忙）</translation>
    </message>
    <message>
        <source>{overflows} input overflow(s) on {source}: samples were lost (machine too busy)</source>
        <translation>{source} 输入溢出 {overflows} 次: 丢失了采样（电脑太忙）</translation>
    </message>
    <message>
        <source>clip indicator cleared by the operator</source>
        <translation>操作员已清除削波指示</translation>
    </message>
    <message>
        <source>loudness: short-term {short_term_lufs:.1f} LUFS, integrated {integrated_lufs:.1f} LUFS</source>
        <translation>响度: 短期 {short_term_lufs:.1f} LUFS，综合 {integrated_lufs:.1f} LUFS</translation>
    </message>
    <message>
        <source>camera source opened: {width}x{height} @ {fps:g} fps</source>
        <translation>摄像头已打开: {width}x{height} @ {fps:g} 帧/秒</translation>
    </message>
    <message>
        <source>camera source cannot be opened: {error}</source>
        <translation>摄像头无法打开: {error}</translation>
    </message>
    <message>
        <source>camera picture lost: read failed or stream ended</source>
        <translation>摄像头画面丢失: 读取失败或视频流结束</translation>
    </message>
    <message>
        <source>camera picture lost: {why}</source>
        <translation>摄像头画面丢失: {why}</translation>
    </message>
    <message>
        <source>camera picture lost: no frame for {no_frame_s:.1f} s</source>
        <translation>摄像头画面丢失: {no_frame_s:.1f} 秒没有画面</translation>
    </message>
    <message>
        <source>camera picture back: {width}x{height}</source>
        <translation>摄像头画面恢复: {width}x{height}</translation>
    </message>
    <message>
        <source>camera switched to the backup camera: {from} → {to}</source>
        <translation>已切换到备用摄像头: {from} → {to}</translation>
    </message>
    <message>
        <source>camera switched to the main camera: {from} → {to}</source>
        <translation>已切回主摄像头: {from} → {to}</translation>
    </message>
    <message>
        <source>camera focus reference cleared</source>
        <translation>已清除对焦参考</translation>
    </message>
    <message>
        <source>camera focus reference set to {focus_reference:.1f}</source>
        <translation>对焦参考已设为 {focus_reference:.1f}</translation>
    </message>
    <message>
        <source>camera white-balance reference cleared</source>
        <translation>已清除摄像头白平衡参考</translation>
    </message>
    <message>
        <source>camera white-balance reference not set: no picture yet</source>
        <translation>未设置白平衡参考: 还没有画面</translation>
    </message>
    <message>
        <source>camera white-balance reference not set: {error}</source>
        <translation>未设置白平衡参考: {error}</translation>
    </message>
    <message>
        <source>camera white-balance reference set from the current picture</source>
        <translation>已用当前画面设置白平衡参考</translation>
    </message>
    <message>
        <source>exposure {value!t}: mean luma {mean_luma_pct:.0f}%, {clipped_high_pct:.1f}% clipped</source>
        <translation>曝光{value!t}: 平均亮度 {mean_luma_pct:.0f}%，过曝 {clipped_high_pct:.1f}%</translation>
    </message>
    <message>
        <source>white balance {value!t}</source>
        <translation>白平衡{value!t}</translation>
    </message>
    <message>
        <source>white balance {value!t}: {cast!t} cast</source>
        <translation>白平衡{value!t}: 偏{cast!t}</translation>
    </message>
    <message>
        <source>focus {value!t}: sharpness {sharpness:.0f}</source>
        <translation>对焦{value!t}: 清晰度 {sharpness:.0f}</translation>
    </message>
    <message>
        <source>picture {value!t}</source>
        <translation>画面{value!t}</translation>
    </message>
    <message>
        <source>connecting to OBS at {host}:{port}</source>
        <translation>正在连接 OBS（{host}:{port}）</translation>
    </message>
    <message>
        <source>OBS {obs_version} connected at {host}:{port}</source>
        <translation>已连接 OBS {obs_version}（{host}:{port}）</translation>
    </message>
    <message>
        <source>OBS {obs_version} reconnected at {host}:{port}</source>
        <translation>已重新连接 OBS {obs_version}（{host}:{port}）</translation>
    </message>
    <message>
        <source>OBS connection stopped</source>
        <translation>OBS 连接已停止</translation>
    </message>
    <message>
        <source>lost the connection to OBS at {host}:{port}</source>
        <translation>与 OBS（{host}:{port}）的连接断开</translation>
    </message>
    <message>
        <source>OBS at {host}:{port} cannot be reached</source>
        <translation>无法连接 OBS（{host}:{port}）</translation>
    </message>
    <message>
        <source>OBS at {host}:{port} refused the password</source>
        <translation>OBS（{host}:{port}）密码错误</translation>
    </message>
    <message>
        <source>OBS at {host}:{port} does not speak obs-websocket 5 (OBS 28 or later needed)</source>
        <translation>OBS（{host}:{port}）不支持 obs-websocket 5（需要 OBS 28 或更新版本）</translation>
    </message>
    <message>
        <source>OBS at {host}:{port} does not answer</source>
        <translation>OBS（{host}:{port}）无响应</translation>
    </message>
    <message>
        <source>program scene: {scene}</source>
        <translation>节目场景: {scene}</translation>
    </message>
    <message>
        <source>studio mode on</source>
        <translation>工作室模式开启</translation>
    </message>
    <message>
        <source>studio mode off</source>
        <translation>工作室模式关闭</translation>
    </message>
    <message>
        <source>{input} muted</source>
        <translation>{input} 已静音</translation>
    </message>
    <message>
        <source>{input} unmuted</source>
        <translation>{input} 已取消静音</translation>
    </message>
    <message>
        <source>ON AIR: streaming started</source>
        <translation>直播中: 推流已开始</translation>
    </message>
    <message>
        <source>OFF AIR: streaming stopped</source>
        <translation>已下播: 推流已停止</translation>
    </message>
    <message>
        <source>recording started</source>
        <translation>录制已开始</translation>
    </message>
    <message>
        <source>recording stopped</source>
        <translation>录制已停止</translation>
    </message>
    <message>
        <source>recording paused</source>
        <translation>录像已暂停</translation>
    </message>
    <message>
        <source>OBS did not do {command} {target}: {error}</source>
        <translation>OBS 未执行 {command} {target}: {error}</translation>
    </message>
    <message>
        <source>a view of the studio failed: {error}</source>
        <translation>中控台的一个视图出错: {error}</translation>
    </message>
    <message>
        <source>[REPLAY] room alert {rule!t}: {message}</source>
        <translation>[回放] 直播间预警 {rule!t}: {message}</translation>
    </message>
    <message>
        <source>room alert {rule!t}: {message}</source>
        <translation>直播间预警 {rule!t}: {message}</translation>
    </message>
    <message>
        <source>room alert over {rule!t}: {message}</source>
        <translation>直播间预警解除 {rule!t}: {message}</translation>
    </message>
    <message>
        <source>{rule!t}: ran {action!t} automatically</source>
        <translation>{rule!t}: 已自动执行「{action!t}」</translation>
    </message>
    <message>
        <source>room data refused ({reason}, {count} so far): {detail}</source>
        <translation>直播间数据被拒收 ({reason}, 累计 {count} 条): {detail}</translation>
    </message>
    <message>
        <source>{sku} {name}: the platform says {platform_stock} left, the frozen core stock is {card_stock}; kept frozen</source>
        <translation>{sku} {name}: 平台显示剩余 {platform_stock}, 冻结的核心库存为 {card_stock}; 保持冻结</translation>
    </message>
    <message>
        <source>remote control on at {url}</source>
        <translation>遥控已开启: {url}</translation>
    </message>
    <message>
        <source>remote control off</source>
        <translation>遥控已关闭</translation>
    </message>
    <message>
        <source>remote control moved from {old_url} to {url}</source>
        <translation>遥控已从 {old_url} 换到 {url}</translation>
    </message>
    <message>
        <source>remote control: new settings not applied ({reason}); still on {url}</source>
        <translation>遥控：新设置未生效（{reason}）；仍在 {url} 运行</translation>
    </message>
    <message>
        <source>remote control not running: {reason}</source>
        <translation>遥控未运行：{reason}</translation>
    </message>
    <message>
        <source>room data endpoint: new settings not applied ({reason}); still receiving on {url}</source>
        <translation>直播间数据接口：新设置未生效（{reason}）；仍在 {url} 接收</translation>
    </message>
    <message>
        <source>room data endpoint not running: {reason}</source>
        <translation>直播间数据接口未运行：{reason}</translation>
    </message>
    <message>
        <source>room data endpoint on at {url}</source>
        <translation>直播间数据接口已开启：{url}</translation>
    </message>
    <message>
        <source>room data endpoint moved from {old_url} to {url}</source>
        <translation>直播间数据接口已从 {old_url} 换到 {url}</translation>
    </message>
    <message>
        <source>room data endpoint off</source>
        <translation>直播间数据接口已关闭</translation>
    </message>
    <message>
        <source>recording resumed</source>
        <translation>录像已继续</translation>
    </message>
    <message>
        <source>recording at {timecode}</source>
        <translation>录像进行到 {timecode}</translation>
    </message>
    <message>
        <source>stream dropping frames: {percent:.1f}%</source>
        <translation>推流丢帧: {percent:.1f}%</translation>
    </message>
    <message>
        <source>stream no longer dropping frames</source>
        <translation>推流不再丢帧</translation>
    </message>
    <message>
        <source>OBS is missing render frames: {percent:.1f}% (CPU/GPU overloaded)</source>
        <translation>OBS 渲染丢帧: {percent:.1f}%（CPU/GPU 过载）</translation>
    </message>
    <message>
        <source>OBS renders every frame again</source>
        <translation>OBS 渲染恢复正常</translation>
    </message>
    <message>
        <source>stream congested ({congestion:.0%}): the network cannot keep up</source>
        <translation>推流拥塞（{congestion:.0%}）: 网络跟不上</translation>
    </message>
    <message>
        <source>stream congestion cleared</source>
        <translation>推流拥塞已解除</translation>
    </message>
    <message>
        <source>OBS lost the streaming server and is reconnecting</source>
        <translation>OBS 与推流服务器断开，正在重连</translation>
    </message>
    <message>
        <source>OBS stopped reconnecting to the streaming server</source>
        <translation>OBS 已停止重连推流服务器</translation>
    </message>
    <message>
        <source>only {free_mb:,} MB free for recordings</source>
        <translation>录制空间仅剩 {free_mb:,} MB</translation>
    </message>
    <message>
        <source>{free_mb:,} MB free for recordings</source>
        <translation>录制空间剩余 {free_mb:,} MB</translation>
    </message>
    <message>
        <source>OBS stats: {stream_kbps:.0f} kbps, {output_dropped_percent:.1f}% frames dropped, CPU {cpu_percent:.0f}%</source>
        <translation>OBS 状态: {stream_kbps:.0f} kbps，丢帧 {output_dropped_percent:.1f}%，CPU {cpu_percent:.0f}%</translation>
    </message>
</context>
<context>
    <name>EventReason</name>
    <message>
        <source>no product with SKU {sku}</source>
        <translation>没有 SKU 为 {sku} 的商品</translation>
    </message>
    <message>
        <source>{product}: cannot go from {from!t} to {to!t}</source>
        <translation>{product}: 不能从{from!t}变为{to!t}</translation>
    </message>
    <message>
        <source>{product}: no stock left (adjust the stock first)</source>
        <translation>{product}: 没有库存了（请先调整库存）</translation>
    </message>
    <message>
        <source>{product}: core stock is frozen (unfreeze it first)</source>
        <translation>{product}: 核心库存已冻结（请先解冻）</translation>
    </message>
    <message>
        <source>{product}: stock {value} is not plausible</source>
        <translation>{product}: 库存 {value} 不合理</translation>
    </message>
    <message>
        <source>{product}: stock cannot go below 0 (now {stock})</source>
        <translation>{product}: 库存不能低于 0（现在 {stock}）</translation>
    </message>
    <message>
        <source>segment {title} has {count} products, no number {number}</source>
        <translation>环节「{title}」只有 {count} 个商品，没有第 {number} 个</translation>
    </message>
    <message>
        <source>unknown card state {state} (queued, on_shelf, explaining, sold_out, off_shelf)</source>
        <translation>未知的商品卡状态 {state}（queued、on_shelf、explaining、sold_out、off_shelf）</translation>
    </message>
    <message>
        <source>no card is being explained</source>
        <translation>没有正在讲解的商品</translation>
    </message>
    <message>
        <source>no coupon drop or flash sale {id}</source>
        <translation>没有发券或秒杀 {id}</translation>
    </message>
    <message>
        <source>coupon drops are already paused</source>
        <translation>发券已经暂停</translation>
    </message>
    <message>
        <source>coupon drops are not paused</source>
        <translation>发券没有暂停</translation>
    </message>
    <message>
        <source>{label} is already {status!t}</source>
        <translation>{label} 已经是{status!t}</translation>
    </message>
    <message>
        <source>{label} is still issuing until {left:clock} from now; end that batch first (one batch at a time)</source>
        <translation>{label} 还要发 {left:clock}；请先结束这一批（一次只发一批）</translation>
    </message>
    <message>
        <source>{label} is {status!t}; only a pending drop can be delayed</source>
        <translation>{label} 是{status!t}；只有待发的才能推迟</translation>
    </message>
    <message>
        <source>delay by 1 s to 1 h, got {seconds:g} s</source>
        <translation>推迟时间须在 1 秒到 1 小时之间，收到 {seconds:g} 秒</translation>
    </message>
    <message>
        <source>nothing waiting for confirmation</source>
        <translation>没有等待确认的发券</translation>
    </message>
    <message>
        <source>{label} is {status!t}, not live</source>
        <translation>{label} 是{status!t}，不在进行中</translation>
    </message>
    <message>
        <source>{label} was already confirmed</source>
        <translation>{label} 已经确认过了</translation>
    </message>
    <message>
        <source>the show has ended; use jump or back to return to a segment</source>
        <translation>直播已结束；用跳转或返回回到某个环节</translation>
    </message>
    <message>
        <source>no segment number {number} (the rundown has {count})</source>
        <translation>没有第 {number} 个环节（脚本共 {count} 个）</translation>
    </message>
    <message>
        <source>nothing to hold (the show is {playback!t})</source>
        <translation>没有可暂停的计时（直播{playback!t}）</translation>
    </message>
    <message>
        <source>nothing on hold (the show is {playback!t})</source>
        <translation>没有暂停中的计时（直播{playback!t}）</translation>
    </message>
    <message>
        <source>no segment is running (the show is {playback!t})</source>
        <translation>没有正在进行的环节（直播{playback!t}）</translation>
    </message>
    <message>
        <source>add at most {max_s:dur} at a time, got {seconds:+g} s</source>
        <translation>每次最多加 {max_s:dur}，收到 {seconds:+g} 秒</translation>
    </message>
    <message>
        <source>the show has already ended</source>
        <translation>直播已经结束</translation>
    </message>
    <message>
        <source>no segment with id {id}</source>
        <translation>没有 id 为 {id} 的环节</translation>
    </message>
    <message>
        <source>{count} compliance findings open ({terms}): fix the script or override with a reason</source>
        <translation>有 {count} 处合规问题未处理（{terms}）: 请修改话术，或填写理由后放行</translation>
    </message>
    <message>
        <source>an override needs a reason (e.g. 品牌注册商标, reviewed by legal)</source>
        <translation>放行需要填写理由（例如: 品牌注册商标、法务已审核）</translation>
    </message>
    <message>
        <source>cannot listen on {where}: another program (or another console) already listens there</source>
        <translation>无法在 {where} 监听：另一个程序（或另一台中控台）已在该端口监听</translation>
    </message>
    <message>
        <source>cannot listen on {where}: no network card of this PC has the address {host}</source>
        <translation>无法在 {where} 监听：本机没有地址为 {host} 的网卡</translation>
    </message>
    <message>
        <source>cannot listen on {where}: ports below 1024 need administrator rights</source>
        <translation>无法在 {where} 监听：1024 以下的端口需要管理员权限</translation>
    </message>
    <message>
        <source>{arg}: expected text, got {got}</source>
        <translation>{arg}：应为文本，收到 {got}</translation>
    </message>
    <message>
        <source>{arg}: expected true or false, got {got}</source>
        <translation>{arg}：应为 true 或 false，收到 {got}</translation>
    </message>
    <message>
        <source>{arg}: expected a number, got {got}</source>
        <translation>{arg}：应为数字，收到 {got}</translation>
    </message>
    <message>
        <source>{arg}: expected a whole number, got {got}</source>
        <translation>{arg}：应为整数，收到 {got}</translation>
    </message>
    <message>
        <source>{arg}: expected a finite number, got {got}</source>
        <translation>{arg}：应为有限的数字，收到 {got}</translation>
    </message>
    <message>
        <source>{action}: unknown argument {arg} (arguments: {names})</source>
        <translation>{action}：未知参数 {arg}（可用参数：{names}）</translation>
    </message>
    <message>
        <source>{action}: missing argument {arg} ({description})</source>
        <translation>{action}：缺少参数 {arg}（{description}）</translation>
    </message>
    <message>
        <source>unknown action {action} (studio-console actions lists them)</source>
        <translation>未知操作 {action}（studio-console actions 可列出全部操作）</translation>
    </message>
    <message>
        <source>{action} needs confirmation: send confirm=true</source>
        <translation>{action} 需要确认：请发送 confirm=true</translation>
    </message>
    <message>
        <source>演练 DRILL: {action} not sent (it would change what viewers see or hear)</source>
        <translation>演练 DRILL：未执行 {action}（它会改变观众看到或听到的内容）</translation>
    </message>
</context>
<context>
    <name>EventTableModel</name>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>级别</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>Event</source>
        <translation>事件</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>内容</translation>
    </message>
    <message>
        <source>Not listed</source>
        <translation>未列出</translation>
    </message>
    <message>
        <source>{0} events came too fast to list here; they are in the event log (studio-console log, the review)</source>
        <translation>{0} 条事件来得太快，此处未列出；它们已写入事件日志（studio-console log、复盘）</translation>
    </message>
</context>
<context>
    <name>EventValue</name>
    <message>
        <source>go</source>
        <translation>开始/下一环节</translation>
    </message>
    <message>
        <source>next</source>
        <translation>下一环节</translation>
    </message>
    <message>
        <source>back</source>
        <translation>上一环节</translation>
    </message>
    <message>
        <source>previous</source>
        <translation>上一环节</translation>
    </message>
    <message>
        <source>jump</source>
        <translation>跳转环节</translation>
    </message>
    <message>
        <source>resume</source>
        <translation>继续计时</translation>
    </message>
    <message>
        <source>toggle_hold</source>
        <translation>暂停/继续</translation>
    </message>
    <message>
        <source>add_time</source>
        <translation>加减时间</translation>
    </message>
    <message>
        <source>end_show</source>
        <translation>结束直播</translation>
    </message>
    <message>
        <source>card_push</source>
        <translation>讲解商品</translation>
    </message>
    <message>
        <source>push_card</source>
        <translation>讲解商品</translation>
    </message>
    <message>
        <source>explain</source>
        <translation>讲解商品</translation>
    </message>
    <message>
        <source>card_push_slot</source>
        <translation>按序号讲解商品</translation>
    </message>
    <message>
        <source>card_state</source>
        <translation>改商品卡状态</translation>
    </message>
    <message>
        <source>card_shelve</source>
        <translation>上架</translation>
    </message>
    <message>
        <source>card_unshelve</source>
        <translation>下架</translation>
    </message>
    <message>
        <source>card_sold_out</source>
        <translation>标记已抢光</translation>
    </message>
    <message>
        <source>card_stop</source>
        <translation>取消讲解</translation>
    </message>
    <message>
        <source>stock_adjust</source>
        <translation>调整库存</translation>
    </message>
    <message>
        <source>stock_set</source>
        <translation>设置库存</translation>
    </message>
    <message>
        <source>stock_freeze</source>
        <translation>冻结库存</translation>
    </message>
    <message>
        <source>coupon_drop_now</source>
        <translation>立即发券</translation>
    </message>
    <message>
        <source>flash_start_now</source>
        <translation>立即开抢</translation>
    </message>
    <message>
        <source>coupon_delay</source>
        <translation>推迟发券</translation>
    </message>
    <message>
        <source>flash_delay</source>
        <translation>推迟秒杀</translation>
    </message>
    <message>
        <source>coupon_cancel</source>
        <translation>取消发券</translation>
    </message>
    <message>
        <source>flash_cancel</source>
        <translation>取消秒杀</translation>
    </message>
    <message>
        <source>coupon_confirm</source>
        <translation>确认已发券</translation>
    </message>
    <message>
        <source>flash_confirm</source>
        <translation>确认已开抢</translation>
    </message>
    <message>
        <source>coupon_end</source>
        <translation>结束发券</translation>
    </message>
    <message>
        <source>flash_end</source>
        <translation>结束秒杀</translation>
    </message>
    <message>
        <source>coupons_pause</source>
        <translation>暂停发券</translation>
    </message>
    <message>
        <source>coupon_pause</source>
        <translation>暂停发券</translation>
    </message>
    <message>
        <source>coupons_resume</source>
        <translation>恢复发券</translation>
    </message>
    <message>
        <source>coupon_resume</source>
        <translation>恢复发券</translation>
    </message>
    <message>
        <source>message</source>
        <translation>给主播消息</translation>
    </message>
    <message>
        <source>message_hide</source>
        <translation>隐藏主播消息</translation>
    </message>
    <message>
        <source>override_compliance</source>
        <translation>合规放行</translation>
    </message>
    <message>
        <source>show.go</source>
        <translation>开始/下一环节</translation>
    </message>
    <message>
        <source>show.back</source>
        <translation>上一环节</translation>
    </message>
    <message>
        <source>show.hold</source>
        <translation>暂停/继续计时</translation>
    </message>
    <message>
        <source>show.jump</source>
        <translation>跳转环节</translation>
    </message>
    <message>
        <source>show.adjust</source>
        <translation>加减时间</translation>
    </message>
    <message>
        <source>show.end</source>
        <translation>结束直播</translation>
    </message>
    <message>
        <source>show.override</source>
        <translation>合规放行</translation>
    </message>
    <message>
        <source>card.push</source>
        <translation>讲解商品</translation>
    </message>
    <message>
        <source>card.stop</source>
        <translation>取消讲解</translation>
    </message>
    <message>
        <source>card.shelve</source>
        <translation>上架</translation>
    </message>
    <message>
        <source>card.unshelve</source>
        <translation>下架</translation>
    </message>
    <message>
        <source>card.sold_out</source>
        <translation>标记已抢光</translation>
    </message>
    <message>
        <source>stock.adjust</source>
        <translation>调整库存</translation>
    </message>
    <message>
        <source>stock.freeze</source>
        <translation>冻结库存</translation>
    </message>
    <message>
        <source>coupon.drop_now</source>
        <translation>立即发券</translation>
    </message>
    <message>
        <source>coupon.delay</source>
        <translation>推迟发券</translation>
    </message>
    <message>
        <source>coupon.cancel</source>
        <translation>取消发券</translation>
    </message>
    <message>
        <source>coupon.confirm</source>
        <translation>确认已发券</translation>
    </message>
    <message>
        <source>coupon.pause_all</source>
        <translation>暂停全部发券</translation>
    </message>
    <message>
        <source>message.send</source>
        <translation>给主播消息</translation>
    </message>
    <message>
        <source>message.blink</source>
        <translation>消息闪烁</translation>
    </message>
    <message>
        <source>message.blackout</source>
        <translation>提词屏黑屏</translation>
    </message>
    <message>
        <source>message.hide</source>
        <translation>隐藏主播消息</translation>
    </message>
    <message>
        <source>prompter.speed</source>
        <translation>提词速度</translation>
    </message>
    <message>
        <source>prompter.pause</source>
        <translation>提词暂停</translation>
    </message>
    <message>
        <source>anchor.profile</source>
        <translation>主播配置</translation>
    </message>
    <message>
        <source>obs.scene</source>
        <translation>切换场景</translation>
    </message>
    <message>
        <source>obs.preview</source>
        <translation>预览场景</translation>
    </message>
    <message>
        <source>obs.stream.start</source>
        <translation>开始推流</translation>
    </message>
    <message>
        <source>obs.stream.stop</source>
        <translation>停止推流</translation>
    </message>
    <message>
        <source>obs.record.start</source>
        <translation>开始录制</translation>
    </message>
    <message>
        <source>obs.record.stop</source>
        <translation>停止录制</translation>
    </message>
    <message>
        <source>obs.text</source>
        <translation>设置 OBS 文字</translation>
    </message>
    <message>
        <source>mic.mute</source>
        <translation>麦克风静音</translation>
    </message>
    <message>
        <source>mic.unmute</source>
        <translation>麦克风取消静音</translation>
    </message>
    <message>
        <source>camera.use_backup</source>
        <translation>切换备用摄像头</translation>
    </message>
    <message>
        <source>camera.use_main</source>
        <translation>切回主摄像头</translation>
    </message>
    <message>
        <source>runbook.open</source>
        <translation>打开应急预案</translation>
    </message>
    <message>
        <source>runbook.tick</source>
        <translation>勾选检查项</translation>
    </message>
    <message>
        <source>runbook.close</source>
        <translation>关闭应急事件</translation>
    </message>
    <message>
        <source>drill.start</source>
        <translation>开始演练</translation>
    </message>
    <message>
        <source>drill.stop</source>
        <translation>结束演练</translation>
    </message>
    <message>
        <source>bad_args</source>
        <translation>参数有误</translation>
    </message>
    <message>
        <source>refused</source>
        <translation>被拒绝</translation>
    </message>
    <message>
        <source>queued</source>
        <translation>待上架</translation>
    </message>
    <message>
        <source>on_shelf</source>
        <translation>已上架</translation>
    </message>
    <message>
        <source>explaining</source>
        <translation>讲解中</translation>
    </message>
    <message>
        <source>sold_out</source>
        <translation>已抢光</translation>
    </message>
    <message>
        <source>off_shelf</source>
        <translation>已下架</translation>
    </message>
    <message>
        <source>warning</source>
        <translation>警告</translation>
    </message>
    <message>
        <source>danger</source>
        <translation>危险</translation>
    </message>
    <message>
        <source>overtime</source>
        <translation>超时</translation>
    </message>
    <message>
        <source>announced</source>
        <translation>已预告</translation>
    </message>
    <message>
        <source>live</source>
        <translation>进行中</translation>
    </message>
    <message>
        <source>done</source>
        <translation>已结束</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>missed</source>
        <translation>已错过</translation>
    </message>
    <message>
        <source>standby</source>
        <translation>待开播</translation>
    </message>
    <message>
        <source>hold</source>
        <translation>暂停</translation>
    </message>
    <message>
        <source>ended</source>
        <translation>已结束</translation>
    </message>
    <message>
        <source>ok</source>
        <translation>正常</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>skipped</source>
        <translation>已跳过</translation>
    </message>
    <message>
        <source>pending</source>
        <translation>待发</translation>
    </message>
    <message>
        <source>running</source>
        <translation>执行中</translation>
    </message>
    <message>
        <source>under</source>
        <translation>偏暗</translation>
    </message>
    <message>
        <source>over</source>
        <translation>过曝</translation>
    </message>
    <message>
        <source>cast</source>
        <translation>偏色</translation>
    </message>
    <message>
        <source>soft</source>
        <translation>失焦</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <source>black</source>
        <translation>黑屏</translation>
    </message>
    <message>
        <source>frozen</source>
        <translation>已冻结</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>warm</source>
        <translation>暖</translation>
    </message>
    <message>
        <source>cool</source>
        <translation>冷</translation>
    </message>
    <message>
        <source>green</source>
        <translation>绿</translation>
    </message>
    <message>
        <source>magenta</source>
        <translation>品红</translation>
    </message>
    <message>
        <source>debug</source>
        <translation>调试</translation>
    </message>
    <message>
        <source>info</source>
        <translation>信息</translation>
    </message>
    <message>
        <source>error</source>
        <translation>错误</translation>
    </message>
    <message>
        <source>critical</source>
        <translation>严重</translation>
    </message>
    <message>
        <source>desk</source>
        <translation>场控</translation>
    </message>
    <message>
        <source>camera</source>
        <translation>摄像头</translation>
    </message>
    <message>
        <source>mic</source>
        <translation>麦克风</translation>
    </message>
    <message>
        <source>obs</source>
        <translation>OBS</translation>
    </message>
    <message>
        <source>selftest</source>
        <translation>自检</translation>
    </message>
    <message>
        <source>system</source>
        <translation>系统</translation>
    </message>
    <message>
        <source>show</source>
        <translation>直播</translation>
    </message>
    <message>
        <source>cue</source>
        <translation>流程</translation>
    </message>
    <message>
        <source>emergency</source>
        <translation>应急</translation>
    </message>
    <message>
        <source>room</source>
        <translation>直播间</translation>
    </message>
    <message>
        <source>key</source>
        <translation>快捷键</translation>
    </message>
    <message>
        <source>runbook</source>
        <translation>应急预案</translation>
    </message>
    <message>
        <source>http</source>
        <translation>HTTP 遥控</translation>
    </message>
    <message>
        <source>osc</source>
        <translation>OSC 遥控</translation>
    </message>
    <message>
        <source>ws</source>
        <translation>WebSocket 遥控</translation>
    </message>
    <message>
        <source>automation</source>
        <translation>自动化</translation>
    </message>
    <message>
        <source>suggestion</source>
        <translation>系统建议</translation>
    </message>
    <message>
        <source>online_drop</source>
        <translation>在线人数下降</translation>
    </message>
    <message>
        <source>interaction_drop</source>
        <translation>互动率下降</translation>
    </message>
    <message>
        <source>comments_silent</source>
        <translation>评论区冷场</translation>
    </message>
    <message>
        <source>tech_complaints</source>
        <translation>技术问题反馈</translation>
    </message>
    <message>
        <source>complaint_surge</source>
        <translation>投诉激增</translation>
    </message>
    <message>
        <source>similar_comments</source>
        <translation>大量相似评论</translation>
    </message>
    <message>
        <source>sellout_eta</source>
        <translation>即将售罄</translation>
    </message>
    <message>
        <source>gmv_pace</source>
        <translation>成交进度落后</translation>
    </message>
    <message>
        <source>on</source>
        <translation>开启</translation>
    </message>
    <message>
        <source>off</source>
        <translation>关</translation>
    </message>
</context>
<context>
    <name>GeneralPage</name>
    <message>
        <source>Follow the system</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <source>e.g. Room A</source>
        <translation>例如：A 号直播间</translation>
    </message>
    <message>
        <source>A language change takes effect when the console is restarted.</source>
        <translation>界面语言在重启中控台后生效。</translation>
    </message>
    <message>
        <source>Language:</source>
        <translation>界面语言:</translation>
    </message>
    <message>
        <source>Studio room:</source>
        <translation>直播间:</translation>
    </message>
</context>
<context>
    <name>LevelBar</name>
    <message>
        <source>Click to clear the clip indicator</source>
        <translation>点击清除削波指示</translation>
    </message>
</context>
<context>
    <name>LogPanel</name>
    <message>
        <source>All sources</source>
        <translation>全部来源</translation>
    </message>
    <message>
        <source>{0} and worse</source>
        <translation>{0} 及以上</translation>
    </message>
    <message>
        <source>Filter text</source>
        <translation>筛选文字</translation>
    </message>
    <message>
        <source>Follow</source>
        <translation>跟随最新</translation>
    </message>
    <message>
        <source>Source:</source>
        <translation>来源:</translation>
    </message>
    <message>
        <source>Severity:</source>
        <translation>级别:</translation>
    </message>
    <message>
        <source>{0} shown</source>
        <translation>显示 {0} 条</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Studio Console — Control Desk</source>
        <translation>直播中控台 — 控制台</translation>
    </message>
    <message>
        <source>Event log</source>
        <translation>事件日志</translation>
    </message>
    <message>
        <source>OBS</source>
        <translation>OBS</translation>
    </message>
    <message>
        <source>Camera</source>
        <translation>摄像头</translation>
    </message>
    <message>
        <source>Microphone</source>
        <translation>麦克风</translation>
    </message>
    <message>
        <source>Cue screen</source>
        <translation>提词屏</translation>
    </message>
    <message>
        <source>Remote</source>
        <translation>远程控制</translation>
    </message>
    <message>
        <source>Live room</source>
        <translation>直播间数据</translation>
    </message>
    <message>
        <source>Clips</source>
        <translation>讲解切片</translation>
    </message>
    <message>
        <source>Devices</source>
        <translation>设备</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Full screen</source>
        <translation>全屏(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Reset layout</source>
        <translation>恢复默认布局(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Tools</source>
        <translation>工具(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>设置(&amp;S)…</translation>
    </message>
    <message>
        <source>Self-&amp;test…</source>
        <translation>开播前自检(&amp;T)…</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;About Studio Console</source>
        <translation>关于直播中控台(&amp;A)</translation>
    </message>
    <message>
        <source>Remote control</source>
        <translation>远程控制</translation>
    </message>
    <message>
        <source>About Studio Console</source>
        <translation>关于直播中控台</translation>
    </message>
    <message>
        <source>&lt;h3&gt;Studio Console {0}&lt;/h3&gt;&lt;p&gt;直播中控台: control desk, cue screen, device monitoring and event log for live-commerce studios.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;直播中控台 {0}&lt;/h3&gt;&lt;p&gt;Studio Console：面向直播带货直播间的中控台、主播提词屏、设备监测与事件日志。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>The event log cannot write to its database: {0}. Events are kept in memory and written as soon as it works again; nothing is lost.</source>
        <translation>事件日志无法写入数据库：{0}。事件暂存在内存中，恢复后立即写入，不会丢失。</translation>
    </message>
    <message>
        <source>The event log&apos;s disk is running out of space: {0}. Make room there; events are still being written.</source>
        <translation>事件日志所在磁盘空间不足：{0}。请在该磁盘上腾出空间；事件仍在正常写入。</translation>
    </message>
    <message>
        <source>Emergency</source>
        <translation>应急预案</translation>
    </message>
    <message>
        <source>Review</source>
        <translation>复盘</translation>
    </message>
</context>
<context>
    <name>MeterPanel</name>
    <message>
        <source>STARTING</source>
        <translation>正在启动</translation>
    </message>
    <message>
        <source>Microphone (chosen by name, kept when device numbers change)</source>
        <translation>麦克风（按名称选择，设备编号变化也保持）</translation>
    </message>
    <message>
        <source>Rescan</source>
        <translation>重新扫描</translation>
    </message>
    <message>
        <source>Look for microphones again</source>
        <translation>重新查找麦克风</translation>
    </message>
    <message>
        <source>Input</source>
        <translation>输入</translation>
    </message>
    <message>
        <source>Momentary (M)</source>
        <translation>瞬时响度 (M)</translation>
    </message>
    <message>
        <source>Short-term (S)</source>
        <translation>短期响度 (S)</translation>
    </message>
    <message>
        <source>Integrated (I)</source>
        <translation>整体响度 (I)</translation>
    </message>
    <message>
        <source>Loudness range</source>
        <translation>响度范围</translation>
    </message>
    <message>
        <source>True peak max</source>
        <translation>最大真峰值</translation>
    </message>
    <message>
        <source>Noise floor</source>
        <translation>底噪</translation>
    </message>
    <message>
        <source>Streaming −16 LUFS</source>
        <translation>直播 −16 LUFS</translation>
    </message>
    <message>
        <source>Broadcast EBU R128 −23 LUFS</source>
        <translation>广播 EBU R128 −23 LUFS</translation>
    </message>
    <message>
        <source>Custom {0} LUFS</source>
        <translation>自定义 {0} LUFS</translation>
    </message>
    <message>
        <source>Reset I</source>
        <translation>重置 I</translation>
    </message>
    <message>
        <source>Start the integrated loudness and range again (also done when the show goes live)</source>
        <translation>重新开始统计整体响度和响度范围（开播时也会自动重置）</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>目标</translation>
    </message>
    <message>
        <source>TEST SIGNAL: no microphone in use (built-in generator)</source>
        <translation>测试信号 TEST SIGNAL：未使用麦克风（内置信号发生器）</translation>
    </message>
    <message>
        <source>MIC OK</source>
        <translation>麦克风正常</translation>
    </message>
    <message>
        <source>TEST SIGNAL — not a microphone</source>
        <translation>测试信号 —— 不是麦克风</translation>
    </message>
    <message>
        <source>DEAD AIR — no sound on air</source>
        <translation>静音事故 —— 直播无声</translation>
    </message>
    <message>
        <source>MIC STALLED — audio stopped arriving</source>
        <translation>麦克风卡住 —— 没有音频数据</translation>
    </message>
    <message>
        <source>MIC LOST — reconnecting</source>
        <translation>麦克风断开 —— 正在重连</translation>
    </message>
    <message>
        <source>STOPPED</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>System default</source>
        <translation>系统默认</translation>
    </message>
    <message>
        <source>{0} (not found)</source>
        <translation>{0}（未找到）</translation>
    </message>
    <message>
        <source>TEST SIGNAL (built-in)</source>
        <translation>测试信号（内置）</translation>
    </message>
</context>
<context>
    <name>ObsPanel</name>
    <message>
        <source>Start OBS and turn on Tools → WebSocket Server Settings → Enable WebSocket server; check the host and port in Settings → OBS. The console retries by itself.</source>
        <translation>启动 OBS 并打开 工具 → WebSocket 服务器设置 → 启用 WebSocket 服务器；在 设置 → OBS 中检查主机和端口。中控台会自动重试。</translation>
    </message>
    <message>
        <source>Copy the password from OBS (Tools → WebSocket Server Settings → Show Connect Info) into Settings → OBS.</source>
        <translation>从 OBS（工具 → WebSocket 服务器设置 → 显示连接信息）复制密码到 设置 → OBS。</translation>
    </message>
    <message>
        <source>Update OBS to version 28 or later (it includes obs-websocket 5).</source>
        <translation>请将 OBS 升级到 28 或更高版本（内置 obs-websocket 5）。</translation>
    </message>
    <message>
        <source>OBS is not responding: look at the OBS window (an open dialog, or overloaded). The console reconnects as soon as it answers.</source>
        <translation>OBS 无响应：请查看 OBS 窗口（可能有对话框未关闭或负载过高）。一旦响应，中控台会自动重连。</translation>
    </message>
    <message>
        <source>OBS control is off: enable it in Settings → OBS.</source>
        <translation>OBS 控制已关闭：在 设置 → OBS 中开启。</translation>
    </message>
    <message>
        <source>Retry now</source>
        <translation>立即重试</translation>
    </message>
    <message>
        <source>ON AIR</source>
        <translation>直播中</translation>
    </message>
    <message>
        <source>REC</source>
        <translation>录制</translation>
    </message>
    <message>
        <source>Start stream</source>
        <translation>开始推流</translation>
    </message>
    <message>
        <source>Start recording</source>
        <translation>开始录制</translation>
    </message>
    <message>
        <source>Studio mode (preview first)</source>
        <translation>工作室模式（先预览）</translation>
    </message>
    <message>
        <source>Transition ▶ program</source>
        <translation>转场 ▶ 主输出</translation>
    </message>
    <message>
        <source>Stop the stream?</source>
        <translation>停止推流？</translation>
    </message>
    <message>
        <source>Viewers will see the stream end. Stop streaming now?</source>
        <translation>观众将看到直播结束。现在停止推流吗？</translation>
    </message>
    <message>
        <source>Connected</source>
        <translation>已连接</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>正在连接…</translation>
    </message>
    <message>
        <source>OBS connection lost</source>
        <translation>OBS 连接中断</translation>
    </message>
    <message>
        <source>OBS unreachable</source>
        <translation>无法连接 OBS</translation>
    </message>
    <message>
        <source>Wrong OBS password</source>
        <translation>OBS 密码错误</translation>
    </message>
    <message>
        <source>OBS version not supported</source>
        <translation>OBS 版本不受支持</translation>
    </message>
    <message>
        <source>OBS not responding</source>
        <translation>OBS 无响应</translation>
    </message>
    <message>
        <source>OBS control off</source>
        <translation>OBS 控制已关闭</translation>
    </message>
    <message>
        <source>Stop stream…</source>
        <translation>停止推流…</translation>
    </message>
    <message>
        <source>Stop recording</source>
        <translation>停止录制</translation>
    </message>
    <message>
        <source>dropped {0:.1f}%</source>
        <translation>丢帧 {0:.1f}%</translation>
    </message>
    <message>
        <source>CPU {0:.0f}%</source>
        <translation>CPU {0:.0f}%</translation>
    </message>
    <message>
        <source>disk {0:.0f} GB free</source>
        <translation>磁盘剩余 {0:.0f} GB</translation>
    </message>
    <message>
        <source>RECONNECTING</source>
        <translation>正在重连</translation>
    </message>
</context>
<context>
    <name>ObsSettingsPage</name>
    <message>
        <source>Control OBS from the console</source>
        <translation>由中控台控制 OBS</translation>
    </message>
    <message>
        <source>unchanged</source>
        <translation>未更改</translation>
    </message>
    <message>
        <source>In OBS: Tools → WebSocket Server Settings. The password is kept in the system keyring (or a private file), never in the settings file or the log.</source>
        <translation>在 OBS 中：工具 → WebSocket 服务器设置。密码保存在系统钥匙串（或私有文件）中，绝不写入设置文件或日志。</translation>
    </message>
    <message>
        <source>Host:</source>
        <translation>主机：</translation>
    </message>
    <message>
        <source>Port:</source>
        <translation>端口：</translation>
    </message>
    <message>
        <source>Password:</source>
        <translation>密码：</translation>
    </message>
    <message>
        <source>OBS host is empty: enter an address such as 127.0.0.1</source>
        <translation>OBS 主机为空：请输入地址，例如 127.0.0.1</translation>
    </message>
</context>
<context>
    <name>RemotePanel</name>
    <message>
        <source>Remote control (Stream Deck, Companion, OSC, HTTP)</source>
        <translation>远程控制（Stream Deck、Companion、OSC、HTTP）</translation>
    </message>
    <message>
        <source>Remote control on</source>
        <translation>开启远程控制</translation>
    </message>
    <message>
        <source>off</source>
        <translation>关</translation>
    </message>
    <message>
        <source>Interface</source>
        <translation>网卡</translation>
    </message>
    <message>
        <source>Port (OSC: port + 1)</source>
        <translation>端口（OSC：端口 + 1）</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>shown when remote control is on</source>
        <translation>开启远程控制后显示</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>显示</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Token</source>
        <translation>令牌</translation>
    </message>
    <message>
        <source>Scan with a phone: the state address with the token</source>
        <translation>用手机扫码：带令牌的状态地址</translation>
    </message>
    <message>
        <source>OSC has no password: it listens on loopback unless you pick an interface</source>
        <translation>OSC 没有密码：除非选择网卡，否则只监听本机回环地址</translation>
    </message>
    <message>
        <source>OSC interface</source>
        <translation>OSC 网卡</translation>
    </message>
    <message>
        <source>Addresses or networks (e.g. 192.168.1.0/24) allowed to send OSC</source>
        <translation>允许发送 OSC 的地址或网段（例如 192.168.1.0/24）</translation>
    </message>
    <message>
        <source>OSC allowed senders</source>
        <translation>允许的 OSC 发送方</translation>
    </message>
    <message>
        <source>e.g. 192.168.1.50:12321</source>
        <translation>例如 192.168.1.50:12321</translation>
    </message>
    <message>
        <source>HOST:PORT that get every variable when it changes</source>
        <translation>变量变化时接收推送的 主机:端口</translation>
    </message>
    <message>
        <source>OSC feedback to</source>
        <translation>OSC 反馈目标</translation>
    </message>
    <message>
        <source>Clients and last actions</source>
        <translation>客户端与最近操作</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Connected</source>
        <translation>已连接</translation>
    </message>
    <message>
        <source>Automations</source>
        <translation>自动化</translation>
    </message>
    <message>
        <source>automations.toml</source>
        <translation>automations.toml</translation>
    </message>
    <message>
        <source>Open…</source>
        <translation>打开…</translation>
    </message>
    <message>
        <source>Load</source>
        <translation>载入</translation>
    </message>
    <message>
        <source>starting…</source>
        <translation>正在启动…</translation>
    </message>
    <message>
        <source>{url}  ·  OSC udp {host}:{port}</source>
        <translation>{url}  ·  OSC udp {host}:{port}</translation>
    </message>
    <message>
        <source>New settings not applied: {error}. Still running on {url}</source>
        <translation>新设置未生效：{error}。仍在 {url} 运行</translation>
    </message>
    <message>
        <source>Hide</source>
        <translation>隐藏</translation>
    </message>
    <message>
        <source>Token copied</source>
        <translation>令牌已复制</translation>
    </message>
    <message>
        <source>{n} WebSocket</source>
        <translation>{n} 个 WebSocket</translation>
    </message>
    <message>
        <source>active in the last minute: {peers}</source>
        <translation>最近一分钟活跃：{peers}</translation>
    </message>
    <message>
        <source>Automations file</source>
        <translation>自动化配置文件</translation>
    </message>
    <message>
        <source>TOML files (*.toml)</source>
        <translation>TOML 文件 (*.toml)</translation>
    </message>
    <message>
        <source>{n} automations running</source>
        <translation>{n} 条自动化运行中</translation>
    </message>
    <message>
        <source>not fired yet</source>
        <translation>尚未触发</translation>
    </message>
</context>
<context>
    <name>RemoteSettingsPage</name>
    <message>
        <source>Remote control on when the console starts</source>
        <translation>中控台启动时开启远程控制</translation>
    </message>
    <message>
        <source>automations.toml</source>
        <translation>automations.toml</translation>
    </message>
    <message>
        <source>HTTP and WebSocket on the port, OSC on the port + 1. The token is kept with the other secrets (or set STUDIO_REMOTE_TOKEN); the Remote dock shows it.</source>
        <translation>HTTP 与 WebSocket 使用该端口，OSC 使用端口 + 1。令牌与其他密钥一起保存（或设置 STUDIO_REMOTE_TOKEN）；远程控制面板中可查看。</translation>
    </message>
    <message>
        <source>Interface</source>
        <translation>网卡</translation>
    </message>
    <message>
        <source>Port (OSC: port + 1)</source>
        <translation>端口（OSC：端口 + 1）</translation>
    </message>
    <message>
        <source>OSC interface</source>
        <translation>OSC 网卡</translation>
    </message>
    <message>
        <source>OSC allowed senders</source>
        <translation>允许的 OSC 发送方</translation>
    </message>
    <message>
        <source>OSC feedback to</source>
        <translation>OSC 反馈目标</translation>
    </message>
    <message>
        <source>Automations file</source>
        <translation>自动化配置文件</translation>
    </message>
    <message>
        <source>{field}: {value} is not an IP address</source>
        <translation>{field}：{value} 不是 IP 地址</translation>
    </message>
    <message>
        <source>OSC allowed senders: {value} is not an address or network</source>
        <translation>允许的 OSC 发送方：{value} 不是地址或网段</translation>
    </message>
    <message>
        <source>OSC feedback to: {error}</source>
        <translation>OSC 反馈目标：{error}</translation>
    </message>
</context>
<context>
    <name>ReviewPanel</name>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Read the list of shows from the event log again</source>
        <translation>重新从事件日志读取场次列表</translation>
    </message>
    <message>
        <source>Build report</source>
        <translation>生成复盘</translation>
    </message>
    <message>
        <source>Open in browser</source>
        <translation>在浏览器中打开</translation>
    </message>
    <message>
        <source>Save HTML…</source>
        <translation>保存 HTML…</translation>
    </message>
    <message>
        <source>Export events CSV…</source>
        <translation>导出事件 CSV…</translation>
    </message>
    <message>
        <source>Reading the shows in the log…</source>
        <translation>正在读取日志中的场次…</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>项目</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>数值</translation>
    </message>
    <message>
        <source>Show:</source>
        <translation>场次：</translation>
    </message>
    <message>
        <source>Failed: {0}</source>
        <translation>失败：{0}</translation>
    </message>
    <message>
        <source>{0} shows in the log. Pick one and build its report.</source>
        <translation>日志中有 {0} 场直播。选择一场并生成复盘。</translation>
    </message>
    <message>
        <source>No show in the log yet: run a show on the desk first.</source>
        <translation>日志中还没有直播场次：请先在中控台上开播。</translation>
    </message>
    <message>
        <source>Building the report of {0}…</source>
        <translation>正在生成 {0} 的复盘…</translation>
    </message>
    <message>
        <source>Report of {0} ready: {1}</source>
        <translation>{0} 的复盘已生成：{1}</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>显示</translation>
    </message>
    <message>
        <source>Rooms</source>
        <translation>直播间</translation>
    </message>
    <message>
        <source>Started</source>
        <translation>开播时间</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>时长</translation>
    </message>
    <message>
        <source>Against plan</source>
        <translation>对比计划</translation>
    </message>
    <message>
        <source>Segments run</source>
        <translation>已进行环节</translation>
    </message>
    <message>
        <source>Segments over by more than 30 s</source>
        <translation>超时 30 秒以上的环节</translation>
    </message>
    <message>
        <source>Products explained</source>
        <translation>讲解过的商品</translation>
    </message>
    <message>
        <source>Coupons and flash sales</source>
        <translation>优惠券与秒杀</translation>
    </message>
    <message>
        <source>Worst drop lateness (s)</source>
        <translation>最大发券延迟（秒）</translation>
    </message>
    <message>
        <source>Dropped or missed</source>
        <translation>取消或错过</translation>
    </message>
    <message>
        <source>Alerts</source>
        <translation>预警</translation>
    </message>
    <message>
        <source>Camera incidents</source>
        <translation>摄像头问题</translation>
    </message>
    <message>
        <source>Dead air</source>
        <translation>冷场</translation>
    </message>
    <message>
        <source>Clipping</source>
        <translation>削波</translation>
    </message>
    <message>
        <source>Integrated loudness</source>
        <translation>整场响度</translation>
    </message>
    <message>
        <source>OBS disconnects</source>
        <translation>OBS 断开</translation>
    </message>
    <message>
        <source>Incidents</source>
        <translation>应急事件</translation>
    </message>
    <message>
        <source>Drills</source>
        <translation>演练</translation>
    </message>
    <message>
        <source>Self-test</source>
        <translation>开播前自检</translation>
    </message>
    <message>
        <source>passed</source>
        <translation>通过</translation>
    </message>
    <message>
        <source>failures</source>
        <translation>有失败项</translation>
    </message>
    <message>
        <source>not run</source>
        <translation>未进行</translation>
    </message>
    <message>
        <source>Sales score</source>
        <translation>销售得分</translation>
    </message>
    <message>
        <source>Saved {0}</source>
        <translation>已保存 {0}</translation>
    </message>
    <message>
        <source>Save the report</source>
        <translation>保存复盘报告</translation>
    </message>
    <message>
        <source>HTML files (*.html)</source>
        <translation>HTML 文件 (*.html)</translation>
    </message>
    <message>
        <source>Export the show&apos;s events</source>
        <translation>导出本场事件</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
</context>
<context>
    <name>RoomPanel</name>
    <message>
        <source>Rules file not used (defaults apply): {0}</source>
        <translation>规则文件未启用（使用默认规则）：{0}</translation>
    </message>
    <message>
        <source>No room data</source>
        <translation>暂无直播间数据</translation>
    </message>
    <message>
        <source>回放 REPLAY</source>
        <translation>回放 REPLAY</translation>
    </message>
    <message>
        <source>DATA STALE</source>
        <translation>数据停止更新 DATA STALE</translation>
    </message>
    <message>
        <source>{0}x</source>
        <translation>{0} 倍速</translation>
    </message>
    <message>
        <source>Replay sample</source>
        <translation>回放示例</translation>
    </message>
    <message>
        <source>Play the sample show&apos;s recorded room data in real time (回放/REPLAY)</source>
        <translation>按实时节奏回放示例直播的直播间数据（回放/REPLAY）</translation>
    </message>
    <message>
        <source>Online</source>
        <translation>在线人数</translation>
    </message>
    <message>
        <source>GMV</source>
        <translation>成交额</translation>
    </message>
    <message>
        <source>Orders</source>
        <translation>订单数</translation>
    </message>
    <message>
        <source>Conversion</source>
        <translation>转化率</translation>
    </message>
    <message>
        <source>GPM (per 1,000 viewers)</source>
        <translation>千次观看成交（元）</translation>
    </message>
    <message>
        <source>Interaction rate (per viewer per min)</source>
        <translation>互动率（次/人/分钟）</translation>
    </message>
    <message>
        <source>GPM</source>
        <translation>千次观看成交</translation>
    </message>
    <message>
        <source>Sample recording: nothing is stored, no automatic action runs</source>
        <translation>示例录制：不存储，不执行自动操作</translation>
    </message>
    <message>
        <source>Segment</source>
        <translation>环节</translation>
    </message>
    <message>
        <source>Online avg</source>
        <translation>平均在线</translation>
    </message>
    <message>
        <source>Product</source>
        <translation>商品</translation>
    </message>
    <message>
        <source>Sold</source>
        <translation>已售</translation>
    </message>
    <message>
        <source>Stock left</source>
        <translation>剩余库存</translation>
    </message>
    <message>
        <source>Sell rate</source>
        <translation>售罄率</translation>
    </message>
    <message>
        <source>Sold out in</source>
        <translation>预计售罄</translation>
    </message>
    <message>
        <source>Sold per min</source>
        <translation>每分钟售出</translation>
    </message>
    <message>
        <source>Alerts</source>
        <translation>预警</translation>
    </message>
    <message>
        <source>Do what the alert proposes</source>
        <translation>执行预警建议</translation>
    </message>
    <message>
        <source>Comments</source>
        <translation>评论</translation>
    </message>
    <message>
        <source>Stop replay</source>
        <translation>停止回放</translation>
    </message>
    <message>
        <source>New endpoint settings not applied: {0}. Still receiving on {1}</source>
        <translation>新的接口设置未生效：{0}。仍在 {1} 接收</translation>
    </message>
    <message>
        <source>Live: receiving on {0}</source>
        <translation>实时接收中：{0}</translation>
    </message>
    <message>
        <source>Live ingest not running: {0}</source>
        <translation>实时接收未运行：{0}</translation>
    </message>
    <message>
        <source>Interaction /viewer/min</source>
        <translation>互动率（次/人/分钟）</translation>
    </message>
    <message>
        <source>Live ingest off: the numbers shown are the last received</source>
        <translation>直播间数据接口已关闭：显示的是最后收到的数字</translation>
    </message>
    <message>
        <source>{0}–{1}  {2} (over)</source>
        <translation>{0}–{1}  {2}（已结束）</translation>
    </message>
    <message>
        <source>runbook: {0}</source>
        <translation>预案：{0}</translation>
    </message>
    <message>
        <source>action: {0}</source>
        <translation>操作：{0}</translation>
    </message>
    <message>
        <source>in 5 min</source>
        <translation>5分钟内</translation>
    </message>
    <message>
        <source>Stock conflict: {0} {1}: the platform says {2} left, the frozen core stock is {3}; kept frozen</source>
        <translation>库存冲突：{0} {1}：平台显示剩余 {2}，冻结的核心库存为 {3}，保持冻结</translation>
    </message>
    <message>
        <source>sold out</source>
        <translation>已售罄</translation>
    </message>
    <message>
        <source>{0} h</source>
        <translation>{0} 小时</translation>
    </message>
    <message>
        <source>{0} min</source>
        <translation>{0} 分钟</translation>
    </message>
</context>
<context>
    <name>RoomSettingsPage</name>
    <message>
        <source>Receive room data (the endpoint is on)</source>
        <translation>接收直播间数据（接口开启）</translation>
    </message>
    <message>
        <source>unchanged</source>
        <translation>未更改</translation>
    </message>
    <message>
        <source>New token</source>
        <translation>新令牌</translation>
    </message>
    <message>
        <source>Fill in a new random token (shown, to copy to the bridge); OK applies it</source>
        <translation>填入一个新的随机令牌（明文显示，复制给数据桥）；按“确定”后生效</translation>
    </message>
    <message>
        <source>set by STUDIO_ROOM_TOKEN</source>
        <translation>由 STUDIO_ROOM_TOKEN 设定</translation>
    </message>
    <message>
        <source>rules.toml (empty: the defaults)</source>
        <translation>rules.toml（留空：使用默认规则）</translation>
    </message>
    <message>
        <source>A bridge the studio runs posts the platform&apos;s numbers to http://INTERFACE:PORT/room/v1/messages with the token (kept with the other secrets, or set STUDIO_ROOM_TOKEN). Format: resources/room/FORMAT.md.</source>
        <translation>由直播间自己运行的桥接程序把平台数据带令牌 POST 到 http://接口:端口/room/v1/messages（令牌与其他密钥一起保存，或设置 STUDIO_ROOM_TOKEN）。格式见 resources/room/FORMAT.md。</translation>
    </message>
    <message>
        <source>Interface</source>
        <translation>网卡</translation>
    </message>
    <message>
        <source>Port</source>
        <translation>端口</translation>
    </message>
    <message>
        <source>Token</source>
        <translation>令牌</translation>
    </message>
    <message>
        <source>Requests per second per client</source>
        <translation>每个客户端每秒请求数</translation>
    </message>
    <message>
        <source>Rules file</source>
        <translation>规则文件</translation>
    </message>
    <message>
        <source>Interface: {0} is not an IP address</source>
        <translation>网卡：{0} 不是 IP 地址</translation>
    </message>
    <message>
        <source>Rules file: {0}</source>
        <translation>规则文件：{0}</translation>
    </message>
</context>
<context>
    <name>RundownEditor</name>
    <message>
        <source>Rundown — {0}</source>
        <translation>脚本 —— {0}</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>正在载入…</translation>
    </message>
    <message>
        <source>e.g. 5m, 90s, 1h5m</source>
        <translation>例如 5m、90s、1h5m</translation>
    </message>
    <message>
        <source>One talking point per line</source>
        <translation>每行一个要点</translation>
    </message>
    <message>
        <source>Desk only: never shown to the anchor</source>
        <translation>仅场控可见，不会显示给主播</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <source>Length</source>
        <translation>时长</translation>
    </message>
    <message>
        <source>Script</source>
        <translation>口播稿</translation>
    </message>
    <message>
        <source>Talking points</source>
        <translation>讲解要点</translation>
    </message>
    <message>
        <source>Desk notes</source>
        <translation>场控备注</translation>
    </message>
    <message>
        <source>Compliance findings (double-click to go there)</source>
        <translation>合规问题（双击跳转）</translation>
    </message>
    <message>
        <source>Save (Ctrl+S)</source>
        <translation>保存（Ctrl+S）</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>{0}: {1} segments</source>
        <translation>{0}：{1} 个环节</translation>
    </message>
    <message>
        <source>Cannot open the rundown: {0}</source>
        <translation>无法打开脚本：{0}</translation>
    </message>
    <message>
        <source>{0}: length “{1}”: {2}</source>
        <translation>{0}：时长“{1}”：{2}</translation>
    </message>
    <message>
        <source>{0} compliance findings</source>
        <translation>{0} 个合规问题</translation>
    </message>
    <message>
        <source>Not saved: {0}</source>
        <translation>未保存：{0}</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>正在保存…</translation>
    </message>
    <message>
        <source>Saved to {0}</source>
        <translation>已保存到 {0}</translation>
    </message>
    <message>
        <source>Saved to {0}; the file had changed since it was opened, so it was written anew and the previous one kept as {1}</source>
        <translation>已保存到 {0}；该文件在打开后被改动过，因此已整体重写，原文件保留为 {1}</translation>
    </message>
</context>
<context>
    <name>SelfTestWizard</name>
    <message>
        <source>Pre-show self-test</source>
        <translation>开播前自检</translation>
    </message>
    <message>
        <source>Profile…</source>
        <translation>配置文件…</translation>
    </message>
    <message>
        <source>Run self-test</source>
        <translation>开始自检</translation>
    </message>
    <message>
        <source>Re-run selected check</source>
        <translation>重测选中项</translation>
    </message>
    <message>
        <source>Check:</source>
        <translation>检查:</translation>
    </message>
    <message>
        <source>Camera</source>
        <translation>摄像头</translation>
    </message>
    <message>
        <source>Microphone</source>
        <translation>麦克风</translation>
    </message>
    <message>
        <source>OBS</source>
        <translation>OBS</translation>
    </message>
    <message>
        <source>Console</source>
        <translation>中控台</translation>
    </message>
    <message>
        <source>I&apos;m speaking now</source>
        <translation>我在说话了</translation>
    </message>
    <message>
        <source>Skip</source>
        <translation>跳过</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Check</source>
        <translation>检查项</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>测量值</translation>
    </message>
    <message>
        <source>Threshold</source>
        <translation>要求</translation>
    </message>
    <message>
        <source>Detail / how to fix</source>
        <translation>说明 / 处理方法</translation>
    </message>
    <message>
        <source>Past runs</source>
        <translation>历史记录</translation>
    </message>
    <message>
        <source>Not run yet.</source>
        <translation>尚未自检。</translation>
    </message>
    <message>
        <source>Export HTML…</source>
        <translation>导出 HTML…</translation>
    </message>
    <message>
        <source>Export JSON…</source>
        <translation>导出 JSON…</translation>
    </message>
    <message>
        <source>Save as profile…</source>
        <translation>保存为配置…</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Profile: {0}</source>
        <translation>配置: {0}</translation>
    </message>
    <message>
        <source>Profile: given by the caller</source>
        <translation>配置: 由调用方指定</translation>
    </message>
    <message>
        <source>No studio profile: checking against the console&apos;s settings (checks with nothing to compare are skipped)</source>
        <translation>没有演播室配置: 按中控台设置检查 (无可比较的项目将跳过)</translation>
    </message>
    <message>
        <source>waiting</source>
        <translation>等待中</translation>
    </message>
    <message>
        <source>PASS</source>
        <translation>通过</translation>
    </message>
    <message>
        <source>WARN</source>
        <translation>注意</translation>
    </message>
    <message>
        <source>FAIL</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>SKIP</source>
        <translation>跳过</translation>
    </message>
    <message>
        <source>Choose at least one group to check.</source>
        <translation>请至少选择一类检查。</translation>
    </message>
    <message>
        <source>Running…</source>
        <translation>自检中…</translation>
    </message>
    <message>
        <source>running…</source>
        <translation>检测中…</translation>
    </message>
    <message>
        <source>Re-running {0}…</source>
        <translation>正在重测 {0}…</translation>
    </message>
    <message>
        <source>The self-test could not run: {0}</source>
        <translation>自检无法运行: {0}</translation>
    </message>
    <message>
        <source>Self-test passed</source>
        <translation>自检通过</translation>
    </message>
    <message>
        <source>Self-test FAILED</source>
        <translation>自检未通过</translation>
    </message>
    <message>
        <source>{0}: {1} pass, {2} warn, {3} fail, {4} skip in {5:.1f} s</source>
        <translation>{0}: 通过 {1}, 注意 {2}, 失败 {3}, 跳过 {4}, 用时 {5:.1f} 秒</translation>
    </message>
    <message>
        <source>Showing a past run.</source>
        <translation>正在查看历史自检。</translation>
    </message>
    <message>
        <source>Saved {0}</source>
        <translation>已保存 {0}</translation>
    </message>
    <message>
        <source>Could not save: {0}</source>
        <translation>无法保存: {0}</translation>
    </message>
    <message>
        <source>HTML page (*.html)</source>
        <translation>HTML 网页 (*.html)</translation>
    </message>
    <message>
        <source>JSON (*.json)</source>
        <translation>JSON (*.json)</translation>
    </message>
    <message>
        <source>Export self-test report</source>
        <translation>导出自检报告</translation>
    </message>
    <message>
        <source>Save as studio profile</source>
        <translation>保存为演播室配置</translation>
    </message>
    <message>
        <source>Studio profile (*.toml)</source>
        <translation>演播室配置 (*.toml)</translation>
    </message>
    <message>
        <source>Open studio profile</source>
        <translation>打开演播室配置</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>General</source>
        <translation>常规</translation>
    </message>
    <message>
        <source>Event log</source>
        <translation>事件日志</translation>
    </message>
    <message>
        <source>Camera</source>
        <translation>摄像头</translation>
    </message>
    <message>
        <source>Cannot save the settings: {0}</source>
        <translation>无法保存设置：{0}</translation>
    </message>
</context>
<context>
    <name>SheetImportDialog</name>
    <message>
        <source>Import script spreadsheet — {0}</source>
        <translation>导入直播脚本表格 — {0}</translation>
    </message>
    <message>
        <source>Reading {0}…</source>
        <translation>正在读取 {0}…</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <source>Planned start</source>
        <translation>计划开始</translation>
    </message>
    <message>
        <source>Anchors</source>
        <translation>主播</translation>
    </message>
    <message>
        <source>Desk (场控)</source>
        <translation>场控</translation>
    </message>
    <message>
        <source>Target GMV</source>
        <translation>目标 GMV</translation>
    </message>
    <message>
        <source>Read from</source>
        <translation>读取自</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>开始</translation>
    </message>
    <message>
        <source>Length</source>
        <translation>时长</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Products</source>
        <translation>商品</translation>
    </message>
    <message>
        <source>Script</source>
        <translation>口播稿</translation>
    </message>
    <message>
        <source>Talking points</source>
        <translation>讲解要点</translation>
    </message>
    <message>
        <source>Desk notes</source>
        <translation>场控备注</translation>
    </message>
    <message>
        <source>Section</source>
        <translation>分段</translation>
    </message>
    <message>
        <source>Row</source>
        <translation>行</translation>
    </message>
    <message>
        <source>Column</source>
        <translation>列</translation>
    </message>
    <message>
        <source>Header</source>
        <translation>表头</translation>
    </message>
    <message>
        <source>Read as</source>
        <translation>读作</translation>
    </message>
    <message>
        <source>SKU</source>
        <translation>SKU</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Live price</source>
        <translation>直播价</translation>
    </message>
    <message>
        <source>Stock</source>
        <translation>库存</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>Segments</source>
        <translation>环节</translation>
    </message>
    <message>
        <source>Columns</source>
        <translation>列</translation>
    </message>
    <message>
        <source>Suggested drops</source>
        <translation>建议发券</translation>
    </message>
    <message>
        <source>Warnings</source>
        <translation>提示</translation>
    </message>
    <message>
        <source>Products sheet…</source>
        <translation>商品表…</translation>
    </message>
    <message>
        <source>A CSV holds one sheet: pick the file with the products (SKU, name, prices)</source>
        <translation>CSV 只有一张表：请选择含商品（SKU、名称、价格）的文件</translation>
    </message>
    <message>
        <source>Save as…</source>
        <translation>另存为…</translation>
    </message>
    <message>
        <source>Import and load</source>
        <translation>导入并载入</translation>
    </message>
    <message>
        <source>The rundown will be saved as {0}</source>
        <translation>直播脚本将保存为 {0}</translation>
    </message>
    <message>
        <source>Products sheet</source>
        <translation>商品表</translation>
    </message>
    <message>
        <source>Spreadsheets (*.xlsx *.csv);;All files (*)</source>
        <translation>表格 (*.xlsx *.csv);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Save the rundown as</source>
        <translation>直播脚本另存为</translation>
    </message>
    <message>
        <source>Rundowns (*.toml)</source>
        <translation>直播脚本 (*.toml)</translation>
    </message>
    <message>
        <source>{0}, header in row {1}</source>
        <translation>{0}，表头在第 {1} 行</translation>
    </message>
    <message>
        <source> (guessed)</source>
        <translation>（推测）</translation>
    </message>
    <message>
        <source>(not used)</source>
        <translation>（未使用）</translation>
    </message>
    <message>
        <source>products sheet</source>
        <translation>商品表</translation>
    </message>
    <message>
        <source>bare card</source>
        <translation>仅名称的商品卡</translation>
    </message>
    <message>
        <source>coupon</source>
        <translation>发券</translation>
    </message>
    <message>
        <source>flash sale</source>
        <translation>秒杀</translation>
    </message>
    <message>
        <source>{0} (row {1}): {2} {3}</source>
        <translation>{0}（第 {1} 行）：{2} {3}</translation>
    </message>
    <message>
        <source> — no product in the segment, cannot be scheduled</source>
        <translation> — 该环节没有商品，无法排期</translation>
    </message>
    <message>
        <source>Warnings ({0})</source>
        <translation>提示（{0}）</translation>
    </message>
    <message>
        <source>Suggested drops ({0})</source>
        <translation>建议发券（{0}）</translation>
    </message>
    <message>
        <source>{0} segments, {1} products, {2} warnings. Check the mapping, tick the drops to schedule, then import.</source>
        <translation>{0} 个环节，{1} 个商品，{2} 条提示。请核对对应关系，勾选要排期的发券/秒杀，然后导入。</translation>
    </message>
    <message>
        <source>{0} min</source>
        <translation>{0} 分钟</translation>
    </message>
    <message>
        <source>opening</source>
        <translation>开场</translation>
    </message>
    <message>
        <source>product</source>
        <translation>讲解</translation>
    </message>
    <message>
        <source>interaction</source>
        <translation>互动</translation>
    </message>
    <message>
        <source>lucky draw</source>
        <translation>福袋</translation>
    </message>
    <message>
        <source>closing</source>
        <translation>收尾</translation>
    </message>
    <message>
        <source>break</source>
        <translation>休息</translation>
    </message>
    <message>
        <source>custom</source>
        <translation>自定义</translation>
    </message>
    <message>
        <source>Cannot import: {0}</source>
        <translation>无法导入：{0}</translation>
    </message>
    <message>
        <source>Writing {0}…</source>
        <translation>正在写入 {0}…</translation>
    </message>
    <message>
        <source>{0} already exists: choose another name with Save as…</source>
        <translation>{0} 已存在：请用“另存为…”换一个名字</translation>
    </message>
    <message>
        <source>Cannot save the rundown: {0}</source>
        <translation>无法保存直播脚本：{0}</translation>
    </message>
</context>
<context>
    <name>ShowDeskKeys</name>
    <message>
        <source>GO (start / next segment)</source>
        <translation>GO（开始 / 下一环节）</translation>
    </message>
    <message>
        <source>Back (previous segment)</source>
        <translation>上一环节（后退）</translation>
    </message>
    <message>
        <source>Jump to the selected segment</source>
        <translation>跳到所选环节</translation>
    </message>
    <message>
        <source>Hold / resume</source>
        <translation>暂停 / 继续</translation>
    </message>
    <message>
        <source>+30 s on the segment</source>
        <translation>本环节 +30 秒</translation>
    </message>
    <message>
        <source>−30 s on the segment</source>
        <translation>本环节 −30 秒</translation>
    </message>
    <message>
        <source>+1 min on the segment</source>
        <translation>本环节 +1 分钟</translation>
    </message>
    <message>
        <source>−1 min on the segment</source>
        <translation>本环节 −1 分钟</translation>
    </message>
    <message>
        <source>End the show</source>
        <translation>结束直播</translation>
    </message>
    <message>
        <source>Push the selected card (讲解)</source>
        <translation>讲解所选商品（弹品）</translation>
    </message>
    <message>
        <source>Stop explaining</source>
        <translation>停止讲解</translation>
    </message>
    <message>
        <source>Shelve the selected card (上架)</source>
        <translation>所选商品上架</translation>
    </message>
    <message>
        <source>Unshelve the selected card (下架)</source>
        <translation>所选商品下架</translation>
    </message>
    <message>
        <source>Mark the selected card sold out</source>
        <translation>所选商品标记已抢光</translation>
    </message>
    <message>
        <source>Stock +1</source>
        <translation>库存 +1</translation>
    </message>
    <message>
        <source>Stock −1</source>
        <translation>库存 −1</translation>
    </message>
    <message>
        <source>Stock +10</source>
        <translation>库存 +10</translation>
    </message>
    <message>
        <source>Stock −10</source>
        <translation>库存 −10</translation>
    </message>
    <message>
        <source>Freeze / unfreeze core stock</source>
        <translation>冻结 / 解冻核心库存</translation>
    </message>
    <message>
        <source>Drop the selected (or next) coupon / flash sale now</source>
        <translation>立即发放所选（或下一个）优惠券 / 开始秒杀</translation>
    </message>
    <message>
        <source>Delay the selected (or next) drop by 1 min</source>
        <translation>所选（或下一个）发券延后 1 分钟</translation>
    </message>
    <message>
        <source>Cancel the selected (or next) drop</source>
        <translation>取消所选（或下一个）发券</translation>
    </message>
    <message>
        <source>Confirm dropped on the platform</source>
        <translation>确认平台已发券</translation>
    </message>
    <message>
        <source>Pause / resume all drops</source>
        <translation>暂停 / 恢复全部发券</translation>
    </message>
    <message>
        <source>Write a message to the anchor</source>
        <translation>写消息给主播</translation>
    </message>
    <message>
        <source>Message blink on/off</source>
        <translation>消息闪烁 开/关</translation>
    </message>
    <message>
        <source>Message blackout on/off</source>
        <translation>消息黑屏 开/关</translation>
    </message>
    <message>
        <source>Hide the message</source>
        <translation>隐藏消息</translation>
    </message>
    <message>
        <source>Override compliance findings…</source>
        <translation>合规问题强制放行…</translation>
    </message>
    <message>
        <source>Edit rundown…</source>
        <translation>编辑脚本…</translation>
    </message>
    <message>
        <source>Open show…</source>
        <translation>打开节目…</translation>
    </message>
    <message>
        <source>Push product {0} of the segment</source>
        <translation>讲解本环节第 {0} 个商品</translation>
    </message>
    <message>
        <source>select a product card first</source>
        <translation>请先选择商品卡</translation>
    </message>
    <message>
        <source>select a segment in the rundown first</source>
        <translation>请先在流程中选择环节</translation>
    </message>
    <message>
        <source>GO ignored: pressed twice within {0} s</source>
        <translation>GO 已忽略：{0} 秒内按了两次</translation>
    </message>
</context>
<context>
    <name>ShowDeskLayout</name>
    <message>
        <source>Override…</source>
        <translation>强制放行…</translation>
    </message>
    <message>
        <source>Edit rundown…</source>
        <translation>编辑脚本…</translation>
    </message>
    <message>
        <source>No show loaded</source>
        <translation>未载入节目</translation>
    </message>
    <message>
        <source>Segment remaining</source>
        <translation>环节剩余</translation>
    </message>
    <message>
        <source>Clock</source>
        <translation>时钟</translation>
    </message>
    <message>
        <source>Show elapsed</source>
        <translation>已播时长</translation>
    </message>
    <message>
        <source>Over/under</source>
        <translation>超时/提前</translation>
    </message>
    <message>
        <source>Projected end</source>
        <translation>预计结束</translation>
    </message>
    <message>
        <source>GO</source>
        <translation>GO</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>上一环节</translation>
    </message>
    <message>
        <source>Hold</source>
        <translation>暂停</translation>
    </message>
    <message>
        <source>−1 min</source>
        <translation>−1 分钟</translation>
    </message>
    <message>
        <source>+1 min</source>
        <translation>+1 分钟</translation>
    </message>
    <message>
        <source>End show</source>
        <translation>结束直播</translation>
    </message>
    <message>
        <source>Rundown</source>
        <translation>节目流程</translation>
    </message>
    <message>
        <source>Product cards</source>
        <translation>商品卡</translation>
    </message>
    <message>
        <source>Product</source>
        <translation>商品</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Live / list</source>
        <translation>直播价 / 原价</translation>
    </message>
    <message>
        <source>Stock</source>
        <translation>库存</translation>
    </message>
    <message>
        <source>Safety</source>
        <translation>安全库存</translation>
    </message>
    <message>
        <source>Frozen</source>
        <translation>冻结</translation>
    </message>
    <message>
        <source>Push (讲解)</source>
        <translation>讲解（弹品）</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止讲解</translation>
    </message>
    <message>
        <source>Shelve</source>
        <translation>上架</translation>
    </message>
    <message>
        <source>Unshelve</source>
        <translation>下架</translation>
    </message>
    <message>
        <source>Sold out</source>
        <translation>已抢光</translation>
    </message>
    <message>
        <source>Freeze</source>
        <translation>冻结库存</translation>
    </message>
    <message>
        <source>Coupons and flash sales</source>
        <translation>优惠券与秒杀</translation>
    </message>
    <message>
        <source>Countdown</source>
        <translation>倒计时</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>项目</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Drop now</source>
        <translation>立即发券</translation>
    </message>
    <message>
        <source>Delay 1 min</source>
        <translation>延后 1 分钟</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Confirm dropped (C)</source>
        <translation>确认已发（C）</translation>
    </message>
    <message>
        <source>Pause all</source>
        <translation>全部暂停</translation>
    </message>
    <message>
        <source>Message to the anchor</source>
        <translation>给主播的消息</translation>
    </message>
    <message>
        <source>Message (Ctrl+M, Enter sends)</source>
        <translation>消息（Ctrl+M，回车发送）</translation>
    </message>
    <message>
        <source>Blink</source>
        <translation>闪烁</translation>
    </message>
    <message>
        <source>Blackout</source>
        <translation>黑屏</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>发送</translation>
    </message>
    <message>
        <source>Hide</source>
        <translation>隐藏</translation>
    </message>
</context>
<context>
    <name>ShowDeskLoading</name>
    <message>
        <source>Open show</source>
        <translation>打开节目</translation>
    </message>
    <message>
        <source>Rundowns (*.toml *.csv *.xlsx);;All files (*)</source>
        <translation>节目脚本 (*.toml *.csv *.xlsx);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Opening {0}…</source>
        <translation>正在打开 {0}…</translation>
    </message>
    <message>
        <source>Cannot open the show: {0} — File → Open show… (Ctrl+O) to pick another.</source>
        <translation>无法打开节目：{0} —— 用 文件 → 打开节目…（Ctrl+O）选择其他文件。</translation>
    </message>
    <message>
        <source>Cannot open the show</source>
        <translation>无法打开节目</translation>
    </message>
    <message>
        <source>Resume at segment {0} (elapsed {1})</source>
        <translation>从环节“{0}”继续（已进行 {1}）</translation>
    </message>
    <message>
        <source>Unfinished show</source>
        <translation>未完成的直播</translation>
    </message>
    <message>
        <source>The console stopped while “{0}” was live. Continue where it was?</source>
        <translation>“{0}”直播中中控台意外停止。要从中断处继续吗？</translation>
    </message>
    <message>
        <source>Start fresh</source>
        <translation>重新开始</translation>
    </message>
</context>
<context>
    <name>ShowDeskPanel</name>
    <message>
        <source>&amp;Show</source>
        <translation>节目(&amp;S)</translation>
    </message>
    <message>
        <source>GO</source>
        <translation>GO</translation>
    </message>
    <message>
        <source>Hold</source>
        <translation>暂停</translation>
    </message>
    <message>
        <source>Pause all</source>
        <translation>全部暂停</translation>
    </message>
    <message>
        <source>No show is loaded</source>
        <translation>未载入节目</translation>
    </message>
    <message>
        <source>Refused: {0}</source>
        <translation>已拒绝：{0}</translation>
    </message>
    <message>
        <source>No compliance findings are open</source>
        <translation>没有未处理的合规问题</translation>
    </message>
    <message>
        <source>Go live despite compliance findings</source>
        <translation>存在合规问题仍要开播</translation>
    </message>
    <message>
        <source>{0} findings are open. Reason for going live anyway (logged):</source>
        <translation>有 {0} 个合规问题未处理。仍要开播的理由（将记录在日志中）：</translation>
    </message>
    <message>
        <source>Rundown saved and reloaded</source>
        <translation>脚本已保存并重新载入</translation>
    </message>
    <message>
        <source>Rundown saved; the running show keeps its script until the next open</source>
        <translation>脚本已保存；正在进行的直播在下次打开前仍使用原脚本</translation>
    </message>
    <message>
        <source>Resumed</source>
        <translation>已恢复</translation>
    </message>
    <message>
        <source>Show loaded: {0}</source>
        <translation>已载入节目：{0}</translation>
    </message>
    <message>
        <source>Next: {0}</source>
        <translation>下一环节：{0}</translation>
    </message>
    <message>
        <source>Desk notes: {0}</source>
        <translation>场控备注：{0}</translation>
    </message>
    <message>
        <source>STANDBY — press GO (Space) to start</source>
        <translation>待命 —— 按 GO（空格）开播</translation>
    </message>
    <message>
        <source>RUNNING</source>
        <translation>进行中</translation>
    </message>
    <message>
        <source>HOLD — segment timer paused (H resumes)</source>
        <translation>暂停 —— 环节计时已暂停（按 H 继续）</translation>
    </message>
    <message>
        <source>SHOW ENDED</source>
        <translation>直播已结束</translation>
    </message>
    <message>
        <source>start {0} vs plan</source>
        <translation>开播比计划 {0}</translation>
    </message>
    <message>
        <source>end {0} vs planned end</source>
        <translation>结束比计划 {0}</translation>
    </message>
    <message>
        <source>{0} added</source>
        <translation>已加时 {0}</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>继续</translation>
    </message>
    <message>
        <source>GO — start</source>
        <translation>GO —— 开播</translation>
    </message>
    <message>
        <source>On the cue screen: {0}{1}{2}</source>
        <translation>提词屏上：{0}{1}{2}</translation>
    </message>
    <message>
        <source> [blink]</source>
        <translation> [闪烁]</translation>
    </message>
    <message>
        <source> [blackout]</source>
        <translation> [黑屏]</translation>
    </message>
    <message>
        <source>Resume drops</source>
        <translation>恢复发券</translation>
    </message>
    <message>
        <source>{0} compliance findings ({1}) overridden: {2}</source>
        <translation>{0} 个合规问题（{1}）已强制放行：{2}</translation>
    </message>
    <message>
        <source>{0} compliance findings open ({1}): GO is refused until the script is fixed or you override with a reason (Ctrl+Shift+O).</source>
        <translation>{0} 个合规问题未处理（{1}）：修改脚本或填写理由强制放行（Ctrl+Shift+O）之前不能开播。</translation>
    </message>
    <message>
        <source>frozen</source>
        <translation>已冻结</translation>
    </message>
    <message>
        <source>End the show</source>
        <translation>结束直播</translation>
    </message>
    <message>
        <source>End the show now?</source>
        <translation>现在结束直播？</translation>
    </message>
    <message>
        <source>At or below safety stock {0}</source>
        <translation>已到安全库存 {0} 或以下</translation>
    </message>
    <message>
        <source>pending</source>
        <translation>待发</translation>
    </message>
    <message>
        <source>announced</source>
        <translation>已预告</translation>
    </message>
    <message>
        <source>live</source>
        <translation>进行中</translation>
    </message>
    <message>
        <source>waiting</source>
        <translation>等待中</translation>
    </message>
    <message>
        <source>paused</source>
        <translation>已暂停</translation>
    </message>
    <message>
        <source>done</source>
        <translation>已结束</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>missed</source>
        <translation>已错过</translation>
    </message>
    <message>
        <source>DROP NOW — confirm (C)</source>
        <translation>立即发券 —— 发后确认（C）</translation>
    </message>
    <message>
        <source>live, confirmed</source>
        <translation>进行中（已确认）</translation>
    </message>
    <message>
        <source>Coupon</source>
        <translation>优惠券</translation>
    </message>
    <message>
        <source>Flash sale</source>
        <translation>秒杀</translation>
    </message>
</context>
</TS>

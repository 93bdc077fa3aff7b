<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name />
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
</context>
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
        <source>No open incident. Press a runbook's key to open one.</source>
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
        <source>Export the show's events</source>
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
        <source>Play the sample show's recorded room data in real time (回放/REPLAY)</source>
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
        <source>GPM</source>
        <translation>千次观看成交</translation>
    </message>
    <message>
        <source>Interaction rate</source>
        <translation>互动率</translation>
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
        <source>Interaction</source>
        <translation>互动率</translation>
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
        <source>Per minute</source>
        <translation>每分钟</translation>
    </message>
    <message>
        <source>Sold out in</source>
        <translation>预计售罄</translation>
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
        <source>Live: receiving on {0}</source>
        <translation>实时接收中：{0}</translation>
    </message>
    <message>
        <source>Live ingest not running: {0}</source>
        <translation>实时接收未运行：{0}</translation>
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
        <source>回放 REPLAY — sample recording</source>
        <translation>回放 REPLAY — 示例录制</translation>
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
        <source>{0} min</source>
        <translation>{0} 分钟</translation>
    </message>
</context>
<context>
    <name>RoomSettingsPage</name>
    <message>
        <source>Receive room data when the console starts</source>
        <translation>启动时接收直播间数据</translation>
    </message>
    <message>
        <source>rules.toml (empty: the defaults)</source>
        <translation>rules.toml（留空：使用默认规则）</translation>
    </message>
    <message>
        <source>A bridge the studio runs posts the platform's numbers to http://INTERFACE:PORT/room/v1/messages with the token (kept with the other secrets, or set STUDIO_ROOM_TOKEN). Format: resources/room/FORMAT.md.</source>
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
        <source>I'm speaking now</source>
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
        <source>No studio profile: checking against the console's settings (checks with nothing to compare are skipped)</source>
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
        <source>End the show</source>
        <translation>结束直播</translation>
    </message>
    <message>
        <source>End the show now?</source>
        <translation>现在结束直播？</translation>
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
</context>
</TS>

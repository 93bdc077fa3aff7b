<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
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
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;About Studio Console</source>
        <translation>关于直播中控台(&amp;A)</translation>
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
        <source>Cannot save the settings: {0}</source>
        <translation>无法保存设置：{0}</translation>
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
        <translation>完成</translation>
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
    <message>
        <source>opened</source>
        <translation>开始于</translation>
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
        <translation>场次</translation>
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
        <translation>发券与秒杀</translation>
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
        <translation>告警</translation>
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
</TS>

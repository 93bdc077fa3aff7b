"""Remote control: Stream Deck / Companion buttons, OSC and HTTP drive the console through the
studio's one dispatcher, and state goes back out (WebSocket pushes, OSC feedback, automations).

Qt-free: the desk hands the server its :class:`~studio_app.remote.api.StudioLike` and a way to
run calls on the thread that owns it.
"""

from studio_app.cli import main

raise SystemExit(main())

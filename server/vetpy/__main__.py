from vetpy.cli import main

raise SystemExit(main())

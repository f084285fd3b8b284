from jot.cli import main

raise SystemExit(main())

from notes.cli import main

raise SystemExit(main())

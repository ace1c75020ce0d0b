from cxplan.cli import main

main()

from readlog.cli import main

main()

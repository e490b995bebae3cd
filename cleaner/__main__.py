"""Run the command line interface: `python -m cleaner`."""

from cleaner.cli import main

if __name__ == "__main__":
    main()

"""PyInstaller's entry script: the same `main` as the `parley-desktop` console script."""

from desktop.__main__ import main

if __name__ == "__main__":
    main()

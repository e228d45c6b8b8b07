"""sitrep: sourced, geocoded conflict events from news articles."""
__version__ = "0.1.0"

__all__ = ["__version__", "console"]


def console() -> None:
    """The ``sitrep`` command (and ``python -m sitrep``): Ctrl-C even while the program loads is the one line
    and the status 130 of any interrupted command, not a traceback."""
    try:
        from .cli import main
    except KeyboardInterrupt:
        import sys
        sys.stderr.write("sitrep: interrupted\n")
        raise SystemExit(130) from None
    main()

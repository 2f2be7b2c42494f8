"""Parley's desktop app: a pywebview window with working camera, microphone and screen capture."""

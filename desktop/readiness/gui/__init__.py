"""The PySide6 interface. It calls the core (readiness.*); the core never imports it."""

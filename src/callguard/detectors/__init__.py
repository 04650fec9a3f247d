"""Text detectors: the code behind rules that data alone cannot express."""

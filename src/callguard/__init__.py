"""callguard: keep card data and PHI out of transcripts, chat logs and configs."""
__version__ = "0.1.0"

"""Synthetic speech data pipeline for the SpeechServe reference model (see README.md)."""

"""Emailing: written answers to visitors' requests and, later, campaigns."""

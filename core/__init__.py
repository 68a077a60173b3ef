"""bankcode core: the bank directory, the lookup engine, data generation and the NER model.

This package never imports Qt; the desktop app and the CLI are thin layers over it.
"""

import logging

__version__ = "0.1.0"

logging.getLogger(__name__).addHandler(logging.NullHandler())

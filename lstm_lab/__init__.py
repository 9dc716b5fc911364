"""lstm_lab: the helper package of the course *LSTM for Time Series*.

Each module belongs to the chapter that teaches it; a notebook only imports
what an earlier chapter (or itself) has already explained.

Importing ``lstm_lab`` does not import TensorFlow. It does set two environment
variables (see :func:`lstm_lab.runtime.quiet_tensorflow`) so that a notebook
which imports ``lstm_lab`` before ``keras`` gets no TensorFlow start-up noise.
"""

from lstm_lab.runtime import quiet_tensorflow

__version__ = "0.1.0"

quiet_tensorflow()

__all__ = ["__version__", "quiet_tensorflow"]

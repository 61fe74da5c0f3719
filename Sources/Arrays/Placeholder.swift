import Pickle

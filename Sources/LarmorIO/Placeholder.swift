import LarmorCore

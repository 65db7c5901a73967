// Synthesis returns grid fields: a client of Turbulence sees their storage type without a second import.
@_exported import FieldStorage

"""The offloading datastore: large workflow values live in files, documents keep a record.

``offload`` and ``load`` are the whole interface, used by the workflow executor's value
(de)serialisation and by nothing else, so no other code needs to know where values live.
``config`` reads the settings, ``formats`` and ``hdf5`` write and read files, ``backends``
place them (a directory or a GridFS bucket), ``records`` describe and check them, ``gc``
removes what no stored model references.
"""

from texts.datastore.offloading import Origin, load, offload
from texts.datastore.payload import Payload
from texts.datastore.records import is_record

__all__ = ["Origin", "Payload", "is_record", "load", "offload"]

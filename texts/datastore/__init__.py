"""The offloading datastore: large workflow values live in files, documents keep a record.

``offloading`` is the whole interface (``offload``, ``load``), used by the workflow
executor's value (de)serialisation and by nothing else, so no other code needs to know
where values live. ``config`` reads the settings, ``payload``, ``formats`` and ``hdf5``
write and read files, ``backends`` place them (a directory or a GridFS bucket),
``records`` describe and check them, ``stores`` and ``gc`` remove what no stored model
references, ``cli`` is ``texts datastore``. Importing the package does nothing else.
"""

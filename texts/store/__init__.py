"""The persistence layer: the only package that opens a FireWorks LaunchPad or a database.

``workflows`` is the gateway to the workflow executor's database (``WorkflowStore``: the
embedded store of ``embedded`` or a MongoDB of ``mongodb``); ``compat`` holds every touch of
a library's private internals, checked against the versions it was written for;
``collection``, ``field_index``, ``journal`` and ``refresh`` make FireWorks' embedded mode
fast and durable; ``layout`` says where texts keeps its data in FireWorks' documents.
Importing the package imports nothing else (``errors`` and ``layout`` are light).
"""

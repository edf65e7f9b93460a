"""The workflow executor: models run as FireWorks workflows, stored in MongoDB or on disk."""

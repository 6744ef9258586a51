"""What several test modules share that is not a fixture: generated projects, edits of copied
tables, the notebooks' papermill helpers and the browser's. Fixtures live in conftest.py files;
no test module imports from another test module."""

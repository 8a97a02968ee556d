"""The ``ccm-costs`` command line. It imports only the public API of ccm_costs (an
import-linter contract checks it), and each subcommand loads only what it uses."""

"""Live Vonage accounts: the Numbers and Applications APIs through the official SDK.

A live account implements `domain.account.Account` with the `vonage-numbers`,
`vonage-application` and `vonage-account` packages, and keeps a local cache
(`store.cache`) so that its data can still be read when Vonage cannot be reached.
"""

import logging

# A library-style default: numdesk's own errors reach the user as messages, so its
# log records are shown only where a program or test configures logging.
logging.getLogger("numdesk.live").addHandler(logging.NullHandler())

# examples/: the sample mailbox (an MH folder: one RFC 5322 message per
# numbered file, LF line endings) used by the demo and the end-to-end
# tests; examples/README.md says what each message is and what abusedesk
# should extract from it.  Installed under $(pkgdatadir)/examples/mailbox.
examplesdir = $(pkgdatadir)/examples/mailbox
dist_examples_DATA = \
	examples/mailbox/1 \
	examples/mailbox/2 \
	examples/mailbox/3 \
	examples/mailbox/4 \
	examples/mailbox/5 \
	examples/mailbox/6 \
	examples/mailbox/7 \
	examples/mailbox/8 \
	examples/mailbox/9 \
	examples/mailbox/10 \
	examples/mailbox/11 \
	examples/mailbox/12 \
	examples/mailbox/13 \
	examples/mailbox/14 \
	examples/mailbox/15
EXTRA_DIST += examples/README.md

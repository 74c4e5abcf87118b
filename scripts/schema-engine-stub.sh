#!/bin/sh
# Stand-in for the schema-engine binary `prisma generate` insists on; see prisma-generate.mjs.
exit 1

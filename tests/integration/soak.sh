#!/usr/bin/env bash
# The short soak: 100 attach-and-detach cycles of each tool (make soak runs 1,000).
exec bash "$(dirname "$0")/../soak/soak.sh" 100

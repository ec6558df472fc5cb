#!/usr/bin/env bash
# The short soak: 100 attach-and-detach cycles of each tool (make soak runs 1,000
# and judges the median cycle time; here it is only reported).
SOAK_TIMING=report exec bash "$(dirname "$0")/../soak/soak.sh" 100

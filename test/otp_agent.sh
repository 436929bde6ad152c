#!/usr/bin/env bash
# otp_agent.sh - a beamtop built with a newer OTP (NEWER_BEAMTOP: the
# command that runs it) refuses to load its agent into a node of the
# host's older OTP, naming both releases as numbers.  Run by test/otp.sh
# with the beamtop built inside sid.
. "$(dirname "$0")/lib.sh"

start_epmd
start_node target
otp=$(node_eval target 'erlang:system_info(otp_release).' | tr -d '"')
out=$($NEWER_BEAMTOP -b -n 1 --agent "target@$HOST" 2>&1)
rc=$?
echo "--agent built with a newer OTP, against OTP $otp"
check "it exits with an error" eq "$(( rc != 0 ))" 1
check "  ... naming the node's OTP as a number" contains "$out" \
	"the node runs OTP $otp, which cannot load it"
it_done

#!/usr/bin/env bash
# Writes the hand-made DNS queries that seed the dns fuzzer (tests/fuzz/dns_fuzz.cc)
# and that tests/dns/seed_test.cc checks. Re-run after changing a line here.
set -euo pipefail
cd "$(dirname "$0")"

header='\x12\x34\x01\x00\x00\x01\x00\x00\x00\x00'  # id 0x1234, RD, one question, no answers
opt='\x00\x00\x29\x04\xd0\x00\x00\x00\x00\x00\x00'  # EDNS0 OPT: UDP size 1232, no options

printf "${header}"'\x00\x00\x03api\x00\x00\x01\x00\x01' >api_a.bin
printf "${header}"'\x00\x00\x05tasks\x03api\x00\x00\x01\x00\x01' >tasks_api_a.bin
printf "${header}"'\x00\x00\x03api\x00\x00\x1c\x00\x01' >api_aaaa.bin
printf "${header}"'\x00\x00\x05_8080\x04_tcp\x03api\x00\x00\x21\x00\x01' >api_srv.bin
printf "${header}"'\x00\x01\x03api\x00\x00\x01\x00\x01'"${opt}" >api_a_edns.bin
printf "${header}"'\x00\x00\x07example\x03com\x00\x00\x01\x00\x01' >example_com_a.bin
printf "${header}"'\x00\x00\x01a\xc0\x0c\x00\x01\x00\x01' >pointer_loop.bin
printf '\x12\x34\x11\x00\x00\x01\x00\x00\x00\x00\x00\x00\x03api\x00\x00\x01\x00\x01' >status_opcode.bin

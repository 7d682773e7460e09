#pragma once
// The cluster's answers to one DNS query, as the network helper (netd) gives
// them to containers. Docker's embedded DNS (127.0.0.11) answers the names of
// containers on the same host and forwards everything else to the container's
// `dns` server, which is netd on the network's gateway address, from the
// container's own address: so `asker` tells which container asks, and the
// networks it is on scope every answer.
//
// Names answered, case-insensitively, with or without the trailing dot, only
// from endpoints on a network the asker is also on:
//   <service>, tasks.<service>   the ready replicas' addresses, rotated
//   <alias>                      the ready replicas that carry the alias there
//   <container name>             that container, ready or not
//   _<port>._<tcp|udp>.<service> SRV, one per ready replica: port <port>,
//                                target <container name>., with its A record
//                                in the additional section
// A known name with no ready replica, or asked for AAAA or another type,
// gets NOERROR with no answers (so resolvers do not fall back to search
// domains); any other name is forwarded to the host's resolvers.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace baton::dns {

// One container's place on one network, as netd learns it from its own
// engine or from a peer.
struct Endpoint {
  std::string network;               // engine network name ("shop_back")
  uint32_t ipv4 = 0;                 // host byte order
  std::string service;               // com.docker.compose.service ("" for non-compose containers)
  std::string container;             // container name without the leading slash ("shop-api-1")
  std::vector<std::string> aliases;  // compose network aliases on this network
  bool ready = false;                // running and healthy (or without a healthcheck)
  // Where the replica belongs, for netd's fencing (runtime/netd/fence.h); not
  // used to answer (nor is spec_hash below). "" and 0 for containers without the labels (and from
  // peers that predate them). Braced, so older aggregate inits stay quiet.
  std::string project{};  // com.docker.compose.project
  int slot = 0;           // baton.slot
  // The replica's spec (label baton.spec-hash, hex SHA-256), which netd's
  // fence compares with the desired-state record's during a rolling update.
  // "" without the label and from peers that predate it: then not checked.
  std::string spec_hash{};
};

enum class Verdict {
  kAnswer,   // send `reply`
  kForward,  // not a cluster name: relay the query to an upstream resolver
  kDrop,     // not a DNS query at all (too short, a response, garbage): ignore
};

struct Reply {
  Verdict verdict = Verdict::kDrop;
  std::string bytes;  // the response message when kAnswer
};

struct ResolveOptions {
  uint32_t ttl = 1;       // seconds; short, since replicas come and go
  uint32_t rotation = 0;  // rotates the order of multi-address answers
  size_t max_size = 512;  // UDP limit: a longer answer is cut and gets TC
};

// Answers `query` (a whole DNS message as received) for the container with
// address `asker`. Malformed queries that still carry a readable header get
// FORMERR; opcodes other than QUERY get NOTIMP. Never reads out of bounds.
Reply Resolve(std::string_view query, uint32_t asker, const std::vector<Endpoint>& endpoints,
              const ResolveOptions& options);

}  // namespace baton::dns

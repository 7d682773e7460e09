#pragma once
// Which cluster name a query asks for, and which replicas answer it, as seen
// from the asking container's networks: the name rules of resolve.h, apart
// from the wire format.

#include <cstdint>
#include <vector>

#include "runtime/dns/name.h"
#include "runtime/dns/resolve.h"

namespace baton::dns {

struct Lookup {
  enum class Kind {
    kUnknown,  // not a cluster name on the asker's networks: forward it
    kAddress,  // <service>, tasks.<service>, <alias> or <container name>
    kService,  // _<port>._<tcp|udp>.<service>
  };
  Kind kind = Kind::kUnknown;
  uint16_t port = 0;  // kService: the <port> of the name
  // One endpoint per replica that answers the name, ordered by address
  // (ties by container name); empty when the name is known but none is ready.
  // Points into the `endpoints` given to Find.
  std::vector<const Endpoint*> replicas;
};

// Finds `name` among `endpoints` for the container with address `asker`:
// only endpoints on a network the asker is on count, that is the networks of
// the endpoints with that address and of the other endpoints of the same
// container (by name, which baton keeps unique across hosts).
// A replica on several such networks answers with its address on the first
// of them, in name order, where it matches.
Lookup Find(const Labels& name, uint32_t asker, const std::vector<Endpoint>& endpoints);

}  // namespace baton::dns

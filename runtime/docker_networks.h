#pragma once
// Networks as baton creates and reads them.

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace baton::runtime {

// POST /networks/create.
struct NetworkSpec {
  std::string name;
  std::string driver = "bridge";
  std::map<std::string, std::string> labels;
  std::map<std::string, std::string> options;  // driver options
  bool internal = false;
  bool attachable = false;
  std::string subnet;   // "" lets the engine choose, e.g. "10.30.0.0/24"
  std::string gateway;  // only with subnet
  // Merged over the generated body last (JSON merge patch, RFC 7386), for
  // fields not typed above: {"EnableIPv6": true, "IPAM": {...}}.
  nlohmann::json extra;
};

// A container attached to a network.
struct NetworkMember {
  std::string name;
  std::string ipv4_address;  // "172.18.0.2/16"
};

// GET /networks/{id}; also one entry of GET /networks (where `members` is empty:
// the engine lists attached containers only on inspect).
struct NetworkInfo {
  std::string id;
  std::string name;
  std::string driver;
  std::string scope;  // "local"
  bool internal = false;
  std::map<std::string, std::string> labels;
  std::vector<std::string> subnets;
  std::map<std::string, NetworkMember> members;  // by container id
  nlohmann::json raw;
};

}  // namespace baton::runtime

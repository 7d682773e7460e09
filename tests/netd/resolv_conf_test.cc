#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "runtime/netd/resolv_conf.h"

namespace baton::netd {
namespace {

TEST_CASE("resolv conf: numeric ipv4 nameservers in order", "[netd][resolv]") {
  CHECK(ParseResolvConfNameservers("# generated\nsearch lab\nnameserver 10.209.0.1\n"
                                   "nameserver\t8.8.4.4  # second\n"
                                   "nameserver ::1\nnameserver dns.example\n"
                                   "nameservers 1.1.1.1\n  nameserver 9.9.9.9\r\n") ==
        std::vector<std::string>{"10.209.0.1", "8.8.4.4", "9.9.9.9"});
}

TEST_CASE("resolv conf: none gives an empty list", "[netd][resolv]") {
  CHECK(ParseResolvConfNameservers("").empty());
  CHECK(ParseResolvConfNameservers("nameserver").empty());
}

TEST_CASE("resolv conf: an absolute link is followed inside the root", "[netd][resolv]") {
  namespace fs = std::filesystem;
  fs::path root = fs::temp_directory_path() / ("netd-resolv-" + std::to_string(getpid()));
  fs::create_directories(root / "etc");
  fs::create_directories(root / "run/resolved");
  std::ofstream(root / "run/resolved/stub.conf") << "nameserver 10.209.0.1\n";
  fs::create_symlink("/run/resolved/stub.conf", root / "etc/resolv.conf");
  CHECK(ReadHostNameservers(root.string()) == std::vector<std::string>{"10.209.0.1"});
  fs::remove_all(root);
  CHECK(ReadHostNameservers(root.string()).empty());
}

}  // namespace
}  // namespace baton::netd

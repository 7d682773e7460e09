#include "compose/profiles.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

namespace baton::compose {
namespace {

Service Svc(std::vector<std::string> profiles = {}) {
  Service s;
  s.profiles = std::move(profiles);
  return s;
}

Project WithServices(std::map<std::string, Service> services) {
  Project p;
  p.name = "demo";
  for (auto& [name, service] : services) {
    service.name = name;
    p.services.emplace(name, std::move(service));
  }
  return p;
}

std::vector<std::string> Names(const std::map<std::string, Service>& services) {
  std::vector<std::string> out;
  for (const auto& [name, service] : services) out.push_back(name);
  return out;
}

using Names_ = std::vector<std::string>;

TEST_CASE("profiles: services without profiles are always enabled", "[compose][profiles]") {
  Project p = WithServices({{"web", Svc()}, {"debug", Svc({"debug"})}});
  REQUIRE(ApplyProfiles(p, {}).ok());
  CHECK(Names(p.services) == Names_{"web"});
  CHECK(Names(p.disabled_services) == Names_{"debug"});
}

TEST_CASE("profiles: a matching profile enables a service", "[compose][profiles]") {
  Project p = WithServices({{"web", Svc()}, {"debug", Svc({"x", "debug"})}, {"ops", Svc({"ops"})}});
  REQUIRE(ApplyProfiles(p, {"debug"}).ok());
  CHECK(Names(p.services) == Names_{"debug", "web"});
  CHECK(Names(p.disabled_services) == Names_{"ops"});
}

TEST_CASE("profiles: star enables every service", "[compose][profiles]") {
  Project p = WithServices({{"a", Svc({"x"})}, {"b", Svc({"y"})}});
  REQUIRE(ApplyProfiles(p, {"*"}).ok());
  CHECK(Names(p.services) == Names_{"a", "b"});
  CHECK(p.disabled_services.empty());
}

TEST_CASE("profiles: an unknown profile is not an error", "[compose][profiles]") {
  Project p = WithServices({{"web", Svc()}});
  REQUIRE(ApplyProfiles(p, {"nope"}).ok());
  CHECK(Names(p.services) == Names_{"web"});
}

TEST_CASE("profiles: dependencies of enabled services are enabled transitively",
          "[compose][profiles]") {
  Service web = Svc();
  web.depends_on["api"] = DependsOn{};
  Service api = Svc({"backend"});
  api.depends_on["db"] = DependsOn{};
  Project p = WithServices({{"web", web}, {"api", api}, {"db", Svc({"data"})}, {"x", Svc({"x"})}});
  REQUIRE(ApplyProfiles(p, {}).ok());
  CHECK(Names(p.services) == Names_{"api", "db", "web"});
  CHECK(Names(p.disabled_services) == Names_{"x"});
}

TEST_CASE("profiles: an optional dependency stays disabled", "[compose][profiles]") {
  Service web = Svc();
  web.depends_on["cache"] = DependsOn{"service_started", false, false};
  Project p = WithServices({{"web", web}, {"cache", Svc({"cache"})}});
  REQUIRE(ApplyProfiles(p, {}).ok());
  CHECK(Names(p.services) == Names_{"web"});
}

TEST_CASE("profiles: links, volumes_from and service modes enable their services",
          "[compose][profiles]") {
  Service web = Svc();
  web.network_mode = "service:net";
  web.other = Node::Mapping();
  Node links = Node::Sequence();
  links.Append(Node::Scalar("db:database"));
  web.other.Set("links", links);
  Node from = Node::Sequence();
  from.Append(Node::Scalar("data:ro"));
  from.Append(Node::Scalar("container:abc"));
  web.other.Set("volumes_from", from);
  web.other.Set("ipc", Node::Scalar("service:shm"));
  Project p = WithServices({{"web", web},
                            {"net", Svc({"p"})},
                            {"db", Svc({"p"})},
                            {"data", Svc({"p"})},
                            {"shm", Svc({"p"})},
                            {"abc", Svc({"p"})}});
  REQUIRE(ApplyProfiles(p, {}).ok());
  CHECK(Names(p.services) == Names_{"data", "db", "net", "shm", "web"});
  CHECK(Names(p.disabled_services) == Names_{"abc"});
}

TEST_CASE("profiles: a dependency cycle through profiles terminates", "[compose][profiles]") {
  Service a = Svc();
  a.depends_on["b"] = DependsOn{};
  Service b = Svc({"p"});
  b.depends_on["a"] = DependsOn{};
  Project p = WithServices({{"a", a}, {"b", b}});
  REQUIRE(ApplyProfiles(p, {}).ok());
  CHECK(Names(p.services) == Names_{"a", "b"});
}

TEST_CASE("profiles: applying again re-decides from every service", "[compose][profiles]") {
  Project p = WithServices({{"web", Svc()}, {"debug", Svc({"debug"})}});
  REQUIRE(ApplyProfiles(p, {}).ok());
  REQUIRE(ApplyProfiles(p, {"debug"}).ok());
  CHECK(Names(p.services) == Names_{"debug", "web"});
  CHECK(p.disabled_services.empty());
}

}  // namespace
}  // namespace baton::compose

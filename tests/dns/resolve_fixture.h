#pragma once
// The endpoint table the resolve tests ask against: project "shop" with
// networks shop_back and shop_front, plus another project's network.

#include <cstdint>
#include <string>
#include <vector>

#include "runtime/dns/resolve.h"

namespace baton::dns::testing {

constexpr uint32_t Ip(uint32_t a, uint32_t b, uint32_t c, uint32_t d) {
  return (a << 24) | (b << 16) | (c << 8) | d;
}

constexpr uint32_t kWebBack = Ip(10, 210, 1, 3);     // web-1 on shop_back
constexpr uint32_t kWebFront = Ip(10, 210, 4, 2);    // web-1 on shop_front
constexpr uint32_t kProxyFront = Ip(10, 210, 4, 3);  // proxy-1, only on shop_front
constexpr uint32_t kApi1 = Ip(10, 210, 1, 2);
constexpr uint32_t kApi2 = Ip(10, 210, 2, 2);
constexpr uint32_t kApi3 = Ip(10, 210, 3, 2);  // not ready
constexpr uint32_t kDb = Ip(10, 210, 2, 3);
constexpr uint32_t kCacheBack = Ip(10, 210, 1, 4);
constexpr uint32_t kCacheFront = Ip(10, 210, 4, 4);
constexpr uint32_t kIdle = Ip(10, 210, 3, 3);      // service idle, never ready
constexpr uint32_t kOtherApi = Ip(10, 210, 9, 2);  // service api of another project

inline std::vector<Endpoint> ShopEndpoints() {
  return {
      {"shop_front", kWebFront, "web", "shop-web-1", {}, true},
      {"shop_back", kWebBack, "web", "shop-web-1", {}, true},
      {"shop_front", kProxyFront, "proxy", "shop-proxy-1", {}, true},
      {"shop_back", kApi2, "api", "shop-api-2", {"backend"}, true},
      {"shop_back", kApi1, "api", "shop-api-1", {"backend"}, true},
      {"shop_back", kApi3, "api", "shop-api-3", {"backend"}, false},
      {"shop_back", kDb, "db", "shop-db-1", {"Database."}, true},
      {"shop_front", kCacheFront, "cache", "shop-cache-1", {}, true},
      {"shop_back", kCacheBack, "cache", "shop-cache-1", {}, true},
      {"shop_back", kIdle, "idle", "shop-idle-1", {}, false},
      {"other_default", kOtherApi, "api", "other-api-1", {}, true},
  };
}

}  // namespace baton::dns::testing

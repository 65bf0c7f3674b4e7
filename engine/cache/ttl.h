#pragma once
// Ttl: how long a cache entry lives — the cache's default, forever, or a given time (> 0) on the
// engine's clock.
#include "runtime/clock.h"

namespace cs::cache {

// How long an entry lives: the cache's default, forever, or a given time (> 0).
class Ttl {
  public:
    static Ttl cache_default() { return Ttl(Kind::cache_default, rt::Duration(0)); }
    static Ttl none() { return Ttl(Kind::none, rt::Duration(0)); }
    static Ttl of(rt::Duration d);  // InvalidArgument for d <= 0

    enum class Kind { cache_default, none, custom };
    Kind kind() const noexcept { return m_kind; }
    rt::Duration duration() const noexcept { return m_duration; }

  private:
    Ttl(Kind k, rt::Duration d) : m_kind(k), m_duration(d) {}
    Kind m_kind;
    rt::Duration m_duration;
};

}  // namespace cs::cache

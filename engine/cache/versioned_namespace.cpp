#include "cache/versioned_namespace.h"

#include "engine.h"
#include "runtime/errors.h"

namespace cs::cache {

VersionedNamespace::VersionedNamespace(Engine* engine, std::string name)
    : m_engine(engine), m_name(std::move(name)) {
    // An empty name would give every empty-named namespace the same keys (":v1:k").
    if (m_name.empty())
        throw rt::InvalidArgument("versioned namespace: the name must not be empty");
}

std::string VersionedNamespace::key(std::string_view k) const {
    std::string v = std::to_string(version());
    std::string out;
    out.reserve(m_name.size() + v.size() + k.size() + 3);
    out.append(m_name).append(":v").append(v).append(":").append(k);
    return out;
}

uint64_t VersionedNamespace::bump(std::string source) {
    uint64_t now_version = m_version.fetch_add(1, std::memory_order_acq_rel) + 1;
    if (m_engine && m_engine->telemetry().enabled()) {
        telemetry::CacheEvent e;
        e.kind = telemetry::CacheEvent::Kind::version_bump;
        e.time = m_engine->clock().now();
        e.cause = "version";
        e.subject = m_name;
        e.source = std::move(source);
        m_engine->telemetry().cache_events().record(std::move(e));
    }
    return now_version;
}

}  // namespace cs::cache

#include "runtime/semaphore.h"

#include <mutex>

#include "engine.h"
#include "runtime/select.h"

namespace cs::rt {
namespace {

// acquire(ctx, n) as a select case, so that "granted" and "ctx cancelled" race through one claim:
// exactly one of them wins, and a grant is never lost nor double-counted.
class AcquireCase final : public SelectCase {
  public:
    AcquireCase(Semaphore& s, int64_t n) : m_sem(s), m_n(n) {
        lock = &s.mu;
        object = s.telemetry_id;
    }
    bool try_now(WaitNode*&, BlockedTime*&) override { return m_sem.try_acquire_locked(m_n); }
    void enqueue(WaitNode& node) override {
        node.weight = m_n;
        m_sem.enqueue_locked(node);
    }
    void dequeue(WaitNode& node) override { m_sem.dequeue_locked(node); }
    void finish(const WaitNode&) override {}
    WaitReason reason() const override { return WaitReason::semaphore; }

  private:
    Semaphore& m_sem;
    int64_t m_n;
};

}  // namespace

Semaphore::Semaphore(int64_t size, std::string name)
    : Registered(Kind::semaphore, std::move(name)), m_size(size) {
    if (size <= 0) throw_out_of_range("semaphore size", size, "1 .. 2^63-1");
    publish();
}

Semaphore::~Semaphore() {
    withdraw();
    m_waiters.abandon_all();
}

void Semaphore::check_weight(int64_t n, bool throw_if_too_big) const {
    if (n <= 0) throw_out_of_range("semaphore acquire n", n, "1 .. size");
    if (throw_if_too_big && n > m_size) {
        throw_out_of_range("semaphore acquire n", n,
                           "1 .. " + std::to_string(m_size) + " (the semaphore's size)");
    }
}

size_t Semaphore::waiters() const {
    std::lock_guard lock(const_cast<SpinLock&>(mu));
    return m_waiters.size();
}

bool Semaphore::try_acquire_locked(int64_t n) {
    int64_t held = m_held.load(std::memory_order_relaxed);
    if (m_size - held < n || m_waiters.has_claimable()) return false;
    m_held.store(held + n, std::memory_order_relaxed);
    m_acquired.store(m_acquired.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
    return true;
}

bool Semaphore::try_acquire(int64_t n) {
    check_weight(n, /*throw_if_too_big=*/false);
    std::lock_guard lock(mu);
    return try_acquire_locked(n);
}

void Semaphore::grant_locked(WaitQueue& granted) {
    // FIFO: stop at the first waiter that does not fit, even if later ones would.
    while (WaitNode* head = m_waiters.front()) {
        if (head->select && head->select->winner.load(std::memory_order_acquire) >= 0) {
            m_waiters.remove(head);  // its select already fired through another case
            continue;
        }
        int64_t held = m_held.load(std::memory_order_relaxed);
        if (m_size - held < head->weight) break;
        m_waiters.remove(head);
        if (!head->claim()) continue;
        m_held.store(held + head->weight, std::memory_order_relaxed);
        m_acquired.store(m_acquired.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
        head->ok = true;
        granted.push_back(head);
    }
}

void Semaphore::wake_granted(WaitQueue& granted) {
    while (WaitNode* n = granted.front()) {
        granted.remove(n);
        wake(*n->parker, telemetry_id, &m_blocked);
    }
}

void Semaphore::release(int64_t n) {
    if (n <= 0) throw_out_of_range("semaphore release n", n, "1 .. held");
    WaitQueue granted;
    {
        std::lock_guard lock(mu);
        int64_t held = m_held.load(std::memory_order_relaxed);
        if (n > held) {
            throw UsageError(
                "semaphore" + (telemetry_name.empty() ? "" : " '" + telemetry_name + "'") +
                ": released " + std::to_string(n) + " but only " + std::to_string(held) + " held");
        }
        m_held.store(held - n, std::memory_order_relaxed);
        grant_locked(granted);
    }
    wake_granted(granted);
}

Task<Status> Semaphore::acquire(Context ctx, int64_t n) {
    check_weight(n, /*throw_if_too_big=*/false);
    if (n > m_size) co_return Status::exceeds_size;
    if (Status s = ctx.err(); s != Status::ok) co_return s;
    int chosen = co_await select_as(WaitReason::semaphore, telemetry_id, AcquireCase(*this, n),
                                    recv_case(ctx.done()));
    if (chosen == 0) co_return Status::ok;
    // Cancelled while queued: leaving the queue may let the waiters behind us through.
    WaitQueue granted;
    {
        std::lock_guard lock(mu);
        grant_locked(granted);
    }
    wake_granted(granted);
    co_return ctx.err();
}

}  // namespace cs::rt

#pragma once
// select: wait on several channel operations at once and run exactly one, as Go's select.
// Returns the index of the case that fired. When several are ready, one is chosen uniformly at
// random (seeded in deterministic mode). A case on a nil channel never fires; with a
// default_case() the select never blocks; a timeout is a receive from after(d); a context's
// cancellation is a receive from ctx.done().
//
//   int v; bool ok;
//   switch (co_await select(recv_case(jobs, v, ok), send_case(out, 7), recv_case(after(1s)))) {
//       case 0: ...  // v, ok hold what was received
//       case 1: ...  // 7 was sent
//       case 2: ...  // timed out
//   }
//
// A send case on a closed channel throws ChannelError, as in Go.
#include <algorithm>
#include <array>
#include <cstddef>
#include <tuple>
#include <vector>

#include "runtime/channel.h"

namespace cs::rt {

// The type-erased view of one case that the select algorithm works with.
class SelectCase {
  public:
    SpinLock* lock = nullptr;  // the primitive's lock; null: nil channel, or the default case
    uint64_t object = 0;       // telemetry id of the primitive
    bool is_default = false;

    // With *lock held: perform the operation if it can complete now. A parked task it
    // completed with is returned in `woken` (woken after all locks are released).
    virtual bool try_now(WaitNode*& woken, BlockedTime*& charge) = 0;
    // With *lock held: park `node` in the right queue / take it out.
    virtual void enqueue(WaitNode& node) = 0;
    virtual void dequeue(WaitNode& node) = 0;
    // After a parked wait was completed by another party through this case.
    virtual void finish(const WaitNode& node) = 0;
    virtual WaitReason reason() const = 0;

  protected:
    ~SelectCase() = default;
};

template <ChannelElement T>
class RecvCase final : public SelectCase {
  public:
    RecvCase(const Chan<T>& ch, T* out, bool* ok) : m_ch(ch.state()), m_out(out), m_ok(ok) {
        if (m_ch) {
            lock = &m_ch->mu;
            object = m_ch->id();
        }
    }

    bool try_now(WaitNode*& woken, BlockedTime*& charge) override {
        T v{};
        bool ok = false;
        if (m_ch->recv_locked(v, ok, woken, charge) != ChanState<T>::Op::done) return false;
        deliver(std::move(v), ok);
        return true;
    }
    void enqueue(WaitNode& node) override {
        node.slot = &m_value;
        m_ch->recvq.push_back(&node);
    }
    void dequeue(WaitNode& node) override { m_ch->recvq.remove(&node); }
    void finish(const WaitNode& node) override { deliver(std::move(m_value), node.ok); }
    WaitReason reason() const override { return WaitReason::recv; }

  private:
    void deliver(T&& v, bool ok) {
        if (m_out) *m_out = std::move(v);
        if (m_ok) *m_ok = ok;
    }
    ChanState<T>* m_ch;
    T* m_out;
    bool* m_ok;
    T m_value{};
};

template <ChannelElement T>
class SendCase final : public SelectCase {
  public:
    SendCase(const Chan<T>& ch, T value) : m_ch(ch.state()), m_value(std::move(value)) {
        if (m_ch) {
            lock = &m_ch->mu;
            object = m_ch->id();
        }
    }

    bool try_now(WaitNode*& woken, BlockedTime*& charge) override {
        auto op = m_ch->send_locked(m_value, woken, charge);
        if (op == ChanState<T>::Op::closed) m_closed = true;
        return op != ChanState<T>::Op::would_block;
    }
    void enqueue(WaitNode& node) override {
        node.slot = &m_value;
        m_ch->sendq.push_back(&node);
    }
    void dequeue(WaitNode& node) override { m_ch->sendq.remove(&node); }
    void finish(const WaitNode& node) override {
        if (!node.ok) m_closed = true;
    }
    WaitReason reason() const override { return WaitReason::send; }

    // Go panics on a send to a closed channel, in a select too.
    void raise_if_closed() const {
        if (m_closed) m_ch->throw_send_on_closed();
    }

  private:
    ChanState<T>* m_ch;
    T m_value;
    bool m_closed = false;
};

class DefaultCase final : public SelectCase {
  public:
    DefaultCase() { is_default = true; }
    bool try_now(WaitNode*&, BlockedTime*&) override { return true; }
    void enqueue(WaitNode&) override {}
    void dequeue(WaitNode&) override {}
    void finish(const WaitNode&) override {}
    WaitReason reason() const override { return WaitReason::none; }
};

template <ChannelElement T>
RecvCase<T> recv_case(const Chan<T>& ch, T& out, bool& ok) {
    return RecvCase<T>(ch, &out, &ok);
}
template <ChannelElement T>
RecvCase<T> recv_case(const Chan<T>& ch, T& out) {
    return RecvCase<T>(ch, &out, nullptr);
}
template <ChannelElement T>
RecvCase<T> recv_case(const Chan<T>& ch) {
    return RecvCase<T>(ch, nullptr, nullptr);
}
template <ChannelElement T, class V>
SendCase<T> send_case(const Chan<T>& ch, V&& value) {
    return SendCase<T>(ch, T(std::forward<V>(value)));
}
inline DefaultCase default_case() {
    return {};
}

namespace detail {

// The select algorithm (Go's selectgo) over type-erased cases. Not a template, so it is
// compiled once.
class SelectCore {
  public:
    SelectCore(SelectCase** cases, WaitNode* nodes, size_t n)
        : m_cases(cases), m_nodes(nodes), m_n(n) {}

    // Shown as the parked task's wait reason instead of the cases' (a sleep that is really a
    // select on a timer and a context, a semaphore acquire that races a context).
    void label(WaitReason reason, uint64_t object) noexcept {
        m_label_reason = reason;
        m_label_object = object;
    }

    // The awaiter protocol, the same for a fixed and a run-time set of cases:
    //  - ready(): true if a case (or the default) completed at once, its index in chosen();
    //    false means park, with every channel still locked;
    //  - suspend(): park on every case, then unlock;
    //  - resumed(): true if the select had parked and was woken (the winner is now final).
    bool ready() {
        m_self = require_task("select");
        return poll(m_self);
    }
    void suspend(std::coroutine_handle<> h) {
        m_parked = true;
        park(m_self, h);
    }
    bool resumed() {
        if (!m_parked) return false;
        after_wake();
        m_parked = false;
        return true;
    }
    int chosen() const noexcept { return m_chosen; }

    ~SelectCore() {
        if (m_parked) after_wake();  // destroyed while parked (engine shutdown)
    }

  private:
    // Locks the channels, polls the cases in random order, runs the first ready one or the
    // default. Returns true if a case completed; false: park, with every channel still locked.
    bool poll(TaskControl* self);
    // With the channels locked: enqueue a node per case, park, unlock.
    void park(TaskControl* self, std::coroutine_handle<> h);
    // After being woken: dequeue the nodes of the cases that did not fire; finish the winner.
    void after_wake();
    void lock_all();
    void unlock_all();

    SelectCase** m_cases;
    WaitNode* m_nodes;
    size_t m_n;
    // Not value-initialized: zero-filling arrays the select fully writes before reading showed
    // up as a quarter of a select's cost.
    std::array<SpinLock*, 16> m_lock_order_small;
    SpinLock** m_lock_order = nullptr;
    std::unique_ptr<SpinLock*[]> m_lock_order_big;
    size_t m_locks = 0;
    int m_chosen = -1;
    WaitReason m_label_reason = WaitReason::none;
    uint64_t m_label_object = 0;
    Parker m_parker;
    SelectState m_state;
    TaskControl* m_self = nullptr;
    bool m_parked = false;
};

template <class... Cases>
class SelectAwaiter {
  public:
    explicit SelectAwaiter(Cases... cases) : m_cases(std::move(cases)...) {
        std::apply(
            [this](auto&... c) {
                size_t i = 0;
                ((m_ptrs[i++] = &c), ...);
            },
            m_cases);
    }
    SelectAwaiter(SelectAwaiter&&) = delete;

    SelectAwaiter(WaitReason label, uint64_t object, Cases... cases)
        : SelectAwaiter(std::move(cases)...) {
        m_core.label(label, object);
    }

    bool await_ready() {
        if (!m_core.ready()) return false;
        finish();
        return true;
    }
    void await_suspend(std::coroutine_handle<> h) { m_core.suspend(h); }
    int await_resume() {
        if (m_core.resumed()) finish();
        return m_core.chosen();
    }

  private:
    void finish() {
        std::apply(
            [this](auto&... c) {
                int i = 0;
                ((raise_if_send_on_closed(c, i++ == m_core.chosen())), ...);
            },
            m_cases);
    }
    template <class C>
    static void raise_if_send_on_closed(const C& c, bool is_chosen) {
        if constexpr (requires { c.raise_if_closed(); }) {
            if (is_chosen) c.raise_if_closed();
        }
    }

    std::tuple<Cases...> m_cases;
    std::array<SelectCase*, sizeof...(Cases)> m_ptrs;
    std::array<WaitNode, sizeof...(Cases)> m_nodes;  // default member initializers, no zero-fill
    SelectCore m_core{m_ptrs.data(), m_nodes.data(), sizeof...(Cases)};  // last: destroyed first
};

// A select whose cases are known only at run time (a merge over N channels). Holds pointers to
// the caller's cases, which must outlive the await.
class DynamicSelectAwaiter {
  public:
    explicit DynamicSelectAwaiter(std::vector<SelectCase*> cases)
        : m_ptrs(std::move(cases)), m_nodes(m_ptrs.size()) {}
    DynamicSelectAwaiter(DynamicSelectAwaiter&&) = delete;

    bool await_ready() { return m_core.ready(); }
    void await_suspend(std::coroutine_handle<> h) { m_core.suspend(h); }
    int await_resume() {
        m_core.resumed();
        return m_core.chosen();
    }

  private:
    std::vector<SelectCase*> m_ptrs;
    std::vector<WaitNode> m_nodes;
    SelectCore m_core{m_ptrs.data(), m_nodes.data(), m_ptrs.size()};  // last: destroyed first
};

}  // namespace detail

template <class... Cases>
requires(sizeof...(Cases) > 0 && (std::derived_from<Cases, SelectCase> && ...))
    [[nodiscard]] auto select(Cases... cases) {
    return detail::SelectAwaiter<Cases...>(std::move(cases)...);
}

// select over cases chosen at run time: receive cases and default only (a send case's
// send-on-closed error needs its static type). At least one case; the cases are the caller's.
//
//   std::vector<RecvCase<int>> cases; ...            // one per input, nil once it is closed
//   std::vector<SelectCase*> ptrs(...);
//   int i = co_await select_from(ptrs);
[[nodiscard]] inline detail::DynamicSelectAwaiter select_from(std::vector<SelectCase*> cases) {
    if (cases.empty()) throw InvalidArgument("select_from: at least one case is required");
    return detail::DynamicSelectAwaiter(std::move(cases));
}

// A select that telemetry shows as another kind of wait (a sleep racing a context is "sleep").
template <class... Cases>
requires(sizeof...(Cases) > 0 && (std::derived_from<Cases, SelectCase> && ...))
    [[nodiscard]] auto select_as(WaitReason shown_as, uint64_t object, Cases... cases) {
    return detail::SelectAwaiter<Cases...>(shown_as, object, std::move(cases)...);
}

}  // namespace cs::rt

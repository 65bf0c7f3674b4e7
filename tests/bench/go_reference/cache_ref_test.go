package chanscope_ref

// The local-cache benchmarks against the two Go caches issue 4 names: go-cache (a map behind
// an RWMutex, with TTLs) and Ristretto (sharded, TinyLFU admission, asynchronous sets). Same
// shapes as tests/bench/cache_bench.cpp: 100k string keys "key:<i>", all present. Each
// benchmark has one sub-benchmark per library; item = one get or one set.

import (
	"strconv"
	"testing"
	"time"

	"github.com/dgraph-io/ristretto"
	gocache "github.com/patrickmn/go-cache"
)

const cacheKeys = 100_000

func cacheKeyNames() []string {
	keys := make([]string, cacheKeys)
	for i := range keys {
		keys[i] = "key:" + strconv.Itoa(i)
	}
	return keys
}

type kv interface {
	get(k string) (interface{}, bool)
	set(k string, v interface{})
}

type goCacheKV struct{ c *gocache.Cache }

func (g goCacheKV) get(k string) (interface{}, bool) { return g.c.Get(k) }
func (g goCacheKV) set(k string, v interface{})      { g.c.Set(k, v, gocache.NoExpiration) }

type ristrettoKV struct{ c *ristretto.Cache }

func (r ristrettoKV) get(k string) (interface{}, bool) { return r.c.Get(k) }
func (r ristrettoKV) set(k string, v interface{})      { r.c.Set(k, v, 1) }

// filled returns the named cache holding every key. Ristretto applies sets asynchronously and
// may drop some under load, so missing keys are set again until every one reads back.
func filled(b *testing.B, name string, keys []string) kv {
	var c kv
	if name == "go-cache" {
		c = goCacheKV{gocache.New(gocache.NoExpiration, 0)}
	} else {
		rc, err := ristretto.NewCache(&ristretto.Config{NumCounters: 10 * cacheKeys, MaxCost: 2 * cacheKeys, BufferItems: 64})
		if err != nil {
			b.Fatal(err)
		}
		c = ristrettoKV{rc}
	}
	missing := keys
	for len(missing) > 0 {
		for _, k := range missing {
			c.set(k, k)
		}
		time.Sleep(50 * time.Millisecond)
		var still []string
		for _, k := range missing {
			if _, ok := c.get(k); !ok {
				still = append(still, k)
			}
		}
		missing = still
	}
	return c
}

func BenchmarkLocalCacheGetHit(b *testing.B) {
	keys := cacheKeyNames()
	for _, name := range []string{"go-cache", "ristretto"} {
		c := filled(b, name, keys)
		b.Run(name, func(b *testing.B) {
			t0 := start(b)
			hits := 0
			i := 0 // the key sequence of cache_bench.cpp: a stride of 7
			for n := 0; n < b.N; n++ {
				if _, ok := c.get(keys[i%cacheKeys]); ok {
					hits++
				}
				i += 7
			}
			reportItems(b, t0)
			sink = int64(hits)
		})
	}
}

func BenchmarkLocalCacheGetHit2T(b *testing.B) {
	keys := cacheKeyNames()
	for _, name := range []string{"go-cache", "ristretto"} {
		c := filled(b, name, keys)
		b.Run(name, func(b *testing.B) {
			b.SetParallelism(1) // GOMAXPROCS goroutines: 2 with run.sh's default
			t0 := start(b)
			b.RunParallel(func(pb *testing.PB) {
				i := 0
				for pb.Next() {
					c.get(keys[i%cacheKeys])
					i += 7
				}
			})
			reportItems(b, t0)
		})
	}
}

func BenchmarkLocalCacheSet(b *testing.B) {
	keys := cacheKeyNames()
	for _, name := range []string{"go-cache", "ristretto"} {
		c := filled(b, name, keys)
		b.Run(name, func(b *testing.B) {
			t0 := start(b)
			i := 0
			for n := 0; n < b.N; n++ {
				k := keys[i%cacheKeys]
				c.set(k, k)
				i += 7
			}
			reportItems(b, t0)
		})
	}
}

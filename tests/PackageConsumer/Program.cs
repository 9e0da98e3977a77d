// Uses the Stm and Stm.Collections packages the way an outside program would, and checks what it
// gets. Arguments: the folder the packages were packed into, and the version packed.
// Prints "Package consumer: OK" and exits 0, or lists each failed check and exits 1.
using System.Reflection;
using Stm;
using Stm.Collections;

if (args.Length != 2)
{
    Console.Error.WriteLine("usage: PackageConsumer <package folder> <package version>");
    return 2;
}

string feed = args[0];
string version = args[1];
var checks = new CheckList();

PackageContents.Verify(feed, version, checks);

checks.Expect(InformationalVersion(typeof(TVar<>).Assembly) == version,
    $"Stm.dll is version {InformationalVersion(typeof(TVar<>).Assembly)}, expected {version}");
checks.Expect(InformationalVersion(typeof(TMap<,>).Assembly) == version,
    $"Stm.Collections.dll is version {InformationalVersion(typeof(TMap<,>).Assembly)}, expected {version}");

// The example of the Stm package readme.
var checking = new TVar<decimal>(100m, "checking");
var savings = new TVar<decimal>(0m, "savings");
Atomic.Run(() =>
{
    Atomic.Check(checking.Value >= 30m);
    checking.Value -= 30m;
    savings.Value += 30m;
});
decimal total = Atomic.Run(() => checking.Value + savings.Value);
checks.Expect(checking.Value == 70m && savings.Value == 30m && total == 100m,
    $"transfer: checking {checking.Value}, savings {savings.Value}, total {total}");

// The Value setter outside a transaction throws and writes nothing.
try
{
    checking.Value = 0m;
    checks.Fail("the TVar Value setter outside a transaction did not throw");
}
catch (InvalidOperationException)
{
    checks.Expect(checking.Value == 70m, "the TVar Value setter that threw wrote anyway");
}

// Retry: a transaction on another thread waits until the slot is filled.
var slot = new TVar<string?>(null, "slot");
Task<string> taker = Task.Run(() => Atomic.Run(() => TakeFrom(slot)));
Thread.Sleep(100);
checks.Expect(!taker.IsCompleted, "a transaction that called Retry on an empty slot did not wait");
slot.Write("hello");
checks.Expect(taker.Wait(TimeSpan.FromSeconds(10)) && taker.Result == "hello", "Retry was not woken by the write");
checks.Expect(slot.Read() is null, "the woken transaction did not empty the slot");

// OrElse: the second branch runs when the first would wait; both waiting times out.
var urgent = new TVar<string?>(null, "urgent");
var normal = new TVar<string?>("normal item", "normal");
string first = Atomic.Run(() => Atomic.OrElse(() => TakeFrom(urgent), () => TakeFrom(normal)));
checks.Expect(first == "normal item", $"OrElse with an empty first branch returned {first}");
urgent.Write("urgent item");
normal.Write("normal item");
string second = Atomic.Run(() => Atomic.OrElse(() => TakeFrom(urgent), () => TakeFrom(normal)));
checks.Expect(second == "urgent item" && normal.Read() == "normal item",
    $"OrElse with a full first branch returned {second}");
Atomic.Run(() => TakeFrom(normal));
bool tookAny = Atomic.TryRun(
    () => Atomic.OrElse(() => TakeFrom(urgent), () => TakeFrom(normal)), TimeSpan.FromMilliseconds(100), out string? _);
checks.Expect(!tookAny, "TryRun of OrElse over two empty slots did not time out");

// Concurrent increments: no update is lost.
const int Threads = 4;
const int Increments = 2_000;
var counter = new TVar<int>(0, "counter");
Parallel.For(0, Threads, _ =>
{
    for (int i = 0; i < Increments; i++)
    {
        Atomic.Run(() => counter.Value++);
    }
});
checks.Expect(counter.Value == Threads * Increments, $"counter is {counter.Value}, expected {Threads * Increments}");

// The example of the Stm.Collections package readme.
var inventory = new TMap<string, int> { ["apples"] = 3 };
var orders = new TQueue<string>();
Atomic.Run(() =>
{
    int stock = inventory.TryGetValue("apples", out int count) ? count : 0;
    Atomic.Check(stock > 0);
    inventory["apples"] = stock - 1;
    orders.Enqueue("apples");
});
string next = orders.Dequeue();
checks.Expect(next == "apples" && inventory["apples"] == 2 && orders.IsEmpty,
    $"inventory: dequeued {next}, {inventory["apples"]} apples left, queue empty: {orders.IsEmpty}");

// A TQueue between two threads delivers every item once, in order; a TMap counts concurrently.
const int Items = 1_000;
var queue = new TQueue<int>();
var hits = new TMap<string, int>();
Task producer = Task.Run(() =>
{
    for (int i = 1; i <= Items; i++)
    {
        queue.Enqueue(i);
        hits.AddOrUpdate("produced", 1, static (_, n) => n + 1);
    }
});
bool inOrder = true;
for (int expected = 1; expected <= Items; expected++)
{
    int item = queue.Dequeue();
    inOrder &= item == expected;
    hits.AddOrUpdate("consumed", 1, static (_, n) => n + 1);
}
checks.Expect(producer.Wait(TimeSpan.FromSeconds(10)), "the producer did not finish");
checks.Expect(inOrder && queue.IsEmpty, "the TQueue lost, duplicated or reordered items");
checks.Expect(hits["produced"] == Items && hits["consumed"] == Items,
    $"TMap counts: produced {hits["produced"]}, consumed {hits["consumed"]}, expected {Items}");

return checks.Report();

static string TakeFrom(TVar<string?> box)
{
    string? item = box.Value;
    Atomic.Check(item is not null);
    box.Value = null;
    return item!;
}

// The informational version without the "+commit" that source control adds.
static string? InformationalVersion(Assembly assembly) =>
    assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0];

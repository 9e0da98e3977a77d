using Stm;
using Stm.Collections;

namespace PipelineSample;

/// <summary>
/// A Kamaelia-style component: a running thing with boxes. Data arrives on the inbox and leaves on
/// the outbox; control messages (here only <see cref="Finished"/>) arrive on the control box and
/// leave on the signal box. A component knows nothing about its neighbours: <see cref="Pipeline"/>
/// wires one component's outbox to the next one's inbox, and each component runs on its own thread.
/// </summary>
/// <remarks>
/// The boxes are Stm queues, so a component can wait on two of them at once in one transaction
/// (<see cref="Atomic.OrElse{T}(Func{T}, Func{T})"/>) and can move an item from its inbox to its
/// outbox in one transaction, so the item is always in exactly one queue.
/// </remarks>
internal abstract class Component
{
    private readonly Func<Message> _receive;
    private TBoundedQueue<Item>? _inbox;
    private TQueue<Finished>? _control;
    private TBoundedQueue<Item>? _outbox;
    private TQueue<Finished>? _signal;
    private Thread? _thread;
    private long _processed;

    /// <summary>Creates a component; <paramref name="name"/> shows in progress lines and names its thread.</summary>
    protected Component(string name)
    {
        Name = name;
        _receive = ReceiveOne;
    }

    /// <summary>The component's name.</summary>
    public string Name { get; }

    /// <summary>Items this component has handled so far (produced, transformed or consumed); any thread may read it.</summary>
    public long Processed => Interlocked.Read(ref _processed);

    /// <summary>The exception that ended the component's thread, if one did; read it after <see cref="Join"/>.</summary>
    public Exception? Failure { get; private set; }

    /// <summary>Data coming in (a bounded queue: a fast upstream waits instead of filling memory).</summary>
    protected TBoundedQueue<Item> Inbox => _inbox ?? throw NotLinked("inbox");

    /// <summary>Control messages coming in.</summary>
    protected TQueue<Finished> Control => _control ?? throw NotLinked("control");

    /// <summary>Data going out: the next component's inbox.</summary>
    protected TBoundedQueue<Item> Outbox => _outbox ?? throw NotLinked("outbox");

    /// <summary>Control messages going out: the next component's control box.</summary>
    protected TQueue<Finished> Signal => _signal ?? throw NotLinked("signal");

    /// <summary>
    /// Wires this component's outbox and signal box to <paramref name="next"/>'s inbox and control
    /// box: one new queue for each, shared by the two components.
    /// </summary>
    public void LinkTo(Component next, int capacity)
    {
        _outbox = next._inbox = new TBoundedQueue<Item>(capacity);
        _signal = next._control = new TQueue<Finished>();
    }

    /// <summary>Starts the component's thread.</summary>
    public void Start()
    {
        _thread = new Thread(RunAndRecordFailure) { IsBackground = true, Name = Name };
        _thread.Start();
    }

    /// <summary>Waits for the component's thread to end; <see langword="false"/> if it is still running after <paramref name="timeout"/>.</summary>
    public bool Join(TimeSpan timeout) => _thread?.Join(timeout) ?? true;

    /// <summary>The component's work; returns when it has passed on (or acted on) <see cref="Finished"/>.</summary>
    protected abstract void Run();

    /// <summary>Counts one handled item; call it after the transaction that handled the item has committed.</summary>
    protected void CountOne() => Interlocked.Increment(ref _processed);

    /// <summary>
    /// Waits for the next message: the next item if the inbox has one, otherwise the
    /// <see cref="Finished"/> from the control box. One transaction waits on both queues at once and
    /// wakes when either changes; no polling, no timeout.
    /// </summary>
    protected Message Receive() => Atomic.Run(_receive);

    /// <summary>
    /// Inside a transaction: takes the <see cref="Finished"/> message, but only once the inbox is
    /// empty. The upstream component sends every item before it signals, so an empty inbox together
    /// with a signal (seen in the same consistent snapshot) means that every item has been taken.
    /// Retries while either is not yet so.
    /// </summary>
    protected Finished TakeFinished()
    {
        Atomic.Check(Inbox.IsEmpty);
        return Control.Dequeue();
    }

    /// <summary>
    /// Receive's body. <see cref="Atomic.OrElse{T}(Func{T}, Func{T})"/> tries the inbox first; only if
    /// that retries (the inbox is empty) does it look at the control box, and if both retry the
    /// transaction sleeps until either queue changes.
    /// </summary>
    private Message ReceiveOne() => Atomic.OrElse<Message>(() => Inbox.Dequeue(), TakeFinished);

    private void RunAndRecordFailure()
    {
        try
        {
            Run();
        }
        catch (Exception exception)
        {
            // Reported by the self-check. Downstream components then wait for a Finished that never
            // comes, and the pipeline's deadline reports them as stuck.
            Failure = exception;
        }
    }

    private InvalidOperationException NotLinked(string box) =>
        new($"The {box} of '{Name}' is not linked: put the component in a Pipeline first.");
}

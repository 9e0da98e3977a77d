using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.CompilerServices;

namespace Stm.Internal;

/// <summary>
/// Whether an <see cref="Action"/> or <see cref="Action{T}"/> body is an async lambda or method (async void): it would return
/// at its first await and run the rest outside the transaction. The compiler marks such methods
/// with <see cref="AsyncStateMachineAttribute"/>, but reading a delegate's method by reflection
/// costs far more than a transaction, so each method is checked once and remembered by its code
/// address in a small table; a body whose method is in the table costs a field read and a compare.
/// </summary>
internal static class AsyncActionCheck
{
    /// <summary>Entries in the table of methods known to be synchronous (a power of two).</summary>
    private const int TableSize = 256;

    /// <summary>
    /// Code addresses of methods known to be synchronous, indexed by a hash of the address. A lost
    /// race between two writers only costs a later re-check; a 64-bit store is never torn.
    /// </summary>
    private static readonly nint[] s_knownSynchronous = new nint[TableSize];

    /// <summary>
    /// Reads the delegate's code addresses: a closed delegate calls <c>_methodPtr</c>, an open static
    /// one goes through a stub there to <c>_methodPtrAux</c>; together they identify the method
    /// whatever the delegate instance. Emitted once at start-up (a plain field access: the fields are
    /// private to the runtime, and an accessor method compiled into this assembly would stop
    /// systematic-testing tools from rewriting it). Null if the runtime has no such fields: then
    /// async bodies are not detected, and nothing else changes.
    /// </summary>
    private static readonly Func<Delegate, nint>? s_methodKey = CreateMethodKeyReader();

    /// <summary>Throws <see cref="NotSupportedException"/> if <paramref name="body"/> is async.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void ThrowIfAsync(Delegate body)
    {
        Func<Delegate, nint>? methodKey = s_methodKey;
        if (methodKey is null)
        {
            return;
        }

        nint key = methodKey(body);
        if (s_knownSynchronous[Slot(key)] != key)
        {
            CheckSlow(body, key);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void CheckSlow(Delegate body, nint key)
    {
        if (body.Method.IsDefined(typeof(AsyncStateMachineAttribute), inherit: false))
        {
            ThrowHelper.ThrowAsyncVoidBody(body.Method.Name);
        }

        s_knownSynchronous[Slot(key)] = key;
    }

    private static int Slot(nint key) => (int)(((nuint)key >> 4) & (TableSize - 1));

    private static Func<Delegate, nint>? CreateMethodKeyReader()
    {
        const BindingFlags Private = BindingFlags.Instance | BindingFlags.NonPublic;
        FieldInfo? methodPtr = typeof(Delegate).GetField("_methodPtr", Private);
        FieldInfo? methodPtrAux = typeof(Delegate).GetField("_methodPtrAux", Private);
        if (methodPtr?.FieldType != typeof(nint) || methodPtrAux?.FieldType != typeof(nint))
        {
            return null;
        }

        var reader = new DynamicMethod("ReadDelegateMethodKey", typeof(nint), [typeof(Delegate)], typeof(AsyncActionCheck).Module, skipVisibility: true);
        ILGenerator il = reader.GetILGenerator();
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Ldfld, methodPtr);
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Ldfld, methodPtrAux);
        il.Emit(OpCodes.Xor);
        il.Emit(OpCodes.Ret);
        return reader.CreateDelegate<Func<Delegate, nint>>();
    }
}

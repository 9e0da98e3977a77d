// snippet: accounts
using Stm;

namespace Bank;

public sealed class Accounts
{
    private readonly TVar<decimal>[] _balances;

    public Accounts(int count, decimal opening)
    {
        _balances = new TVar<decimal>[count];
        for (int i = 0; i < count; i++)
        {
            _balances[i] = new TVar<decimal>(opening, $"account-{i}");
        }
    }

    // Moves the money, or returns false and changes nothing. Safe from any number of threads.
    public bool Transfer(int from, int to, decimal amount) => Atomic.Run(() =>
    {
        if (_balances[from].Value < amount)
        {
            return false;
        }

        _balances[from].Value -= amount;
        _balances[to].Value += amount;
        return true;
    });

    // One consistent snapshot of every balance, however many transfers run meanwhile.
    public decimal Total() => Atomic.Run(() => _balances.Sum(balance => balance.Value));
}
// end snippet: accounts

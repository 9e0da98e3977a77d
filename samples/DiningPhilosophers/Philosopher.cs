namespace DiningPhilosophers;

/// <summary>A philosopher: thinks, picks up both forks, eats, puts them down; a given number of times.</summary>
internal sealed class Philosopher
{
    private readonly Table _table;
    private readonly int _seat;
    private readonly int _meals;
    private readonly Random _random;

    /// <summary>Seats a philosopher who will eat <paramref name="meals"/> times.</summary>
    public Philosopher(Table table, int seat, string name, int meals)
    {
        _table = table;
        _seat = seat;
        _meals = meals;
        _random = new Random(seat);
        Name = name;
    }

    /// <summary>The philosopher's name.</summary>
    public string Name { get; }

    /// <summary>Meals eaten, counted by the philosopher (the table counts them too).</summary>
    public int MealsEaten { get; private set; }

    /// <summary>The philosopher's life; runs on its own thread.</summary>
    public void Dine()
    {
        for (int i = 0; i < _meals; i++)
        {
            // Sleeping happens outside transactions: a transaction body must stay short and free of
            // side effects, and waiting for forks is the transaction's job (Retry), not a sleep's.
            Think();
            _table.PickUpForks(_seat);
            Eat();
            _table.PutDownForks(_seat);
            MealsEaten++;
        }
    }

    private void Think() => Thread.Sleep(_random.Next(2)); // 0 (just yield) or about 1 ms

    private static void Eat() => Thread.Sleep(1);
}

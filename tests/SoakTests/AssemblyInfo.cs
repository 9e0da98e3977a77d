using Xunit;

// Each soak saturates every core with its own worker threads, and the seeded-bug run flips
// process-wide engine switches: run the soaks of this assembly one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

# my_agent.py is in the current directory: "--agent my_agent:OptimisticQ" imports it from there.
rlsandbox check-agent my_agent:OptimisticQ --env maze
rlsandbox train --env maze --layout classic --agent my_agent:OptimisticQ \
    --agent-arg initial_q=10 --episodes 200 --seed 0 --out runs/optimistic --quiet
rlsandbox eval runs/optimistic --episodes 20
rlsandbox replay runs/optimistic --gif runs/optimistic/greedy.gif

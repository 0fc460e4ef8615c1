# my_agent.py is in the current directory: "--agent my_agent:OptimisticQ" imports it from there.
python -m rlsandbox train --env maze --layout classic --agent my_agent:OptimisticQ \
    --agent-arg initial_q=10 --episodes 200 --seed 0 --out runs/optimistic --quiet

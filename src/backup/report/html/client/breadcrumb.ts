/**
 * The breadcrumb above the map: every folder from the root to the one in view. Its buttons
 * carry `data-zoom`, which the treemap answers like any other link to a folder.
 */

const nav = document.getElementById('breadcrumb')!;

document.addEventListener('report:zoomed', ({ detail }) => {
  const list = document.createElement('ol');
  detail.trail.forEach(({ id, name }, i) => {
    const item = document.createElement('li');
    if (i === detail.trail.length - 1) {
      const here = document.createElement('span');
      here.setAttribute('aria-current', 'location');
      here.textContent = name;
      item.append(here);
    } else {
      const button = document.createElement('button');
      button.type = 'button';
      button.dataset.zoom = String(id);
      button.textContent = name;
      item.append(button);
    }
    list.append(item);
  });
  nav.replaceChildren(list);
});
